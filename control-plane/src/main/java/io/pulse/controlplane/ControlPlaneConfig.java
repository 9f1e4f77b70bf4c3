package io.pulse.controlplane;

import io.pulse.common.config.Records;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.async.Dispatch;
import io.pulse.controlplane.autoscale.IdleKeepAlive;
import io.pulse.controlplane.autoscale.KpaSettings;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.controlplane.security.ApiSecurity;
import io.pulse.controlplane.state.InvocationHorizon;

/**
 * Configuration of one control-plane replica. Durations are milliseconds.
 *
 * @param replicaId this replica's name (cluster view, logs)
 * @param restBind REST API plus /metrics, /healthz, /readyz
 * @param grpcBind ControlPlaneService (workers, data planes)
 * @param tickMs autoscaler period
 * @param heartbeatIntervalMs told to workers at registration
 * @param workerTimeoutMs a worker silent this long is dead
 * @param drainMs between taking an instance out of routing and deleting it
 * @param stableWindowMs KPA stable window
 * @param panicWindowPercent KPA panic window, as a percentage of the stable window
 * @param panicThreshold KPA panic threshold (2.0 = 200 %)
 * @param maxScaleUpRate KPA: at most this factor more instances per decision
 * @param maxScaleDownRate KPA: at most this factor fewer instances per decision
 * @param createTimeoutMs readiness timeout of a Regular Instance creation
 * @param createRetryBackoffMs wait after a failed creation before creating for that function again
 * @param reportIntervalMs data planes' load report period; a data plane's load expires after three of them
 * @param defaultPolicy the scaling policy of functions that do not choose one
 * @param security the REST API's token, audit log, TLS and limits
 * @param prepullImages ask workers to pull a function's image when it is registered (and when a worker joins), so
 *     that its first cold start does not include the pull
 * @param asyncLimits async invocations: how long and how many results are kept, queue and body bounds
 * @param invocationHorizon when a forgotten invocation's tombstone (and any copy of it) is purged
 * @param dualTrackPanic whether the KPA of dual-track functions panics as kpa's does; false (default): it sizes their
 *     Regular Instances by the stable window only, since the expedited track serves their surges
 * @param dualTrackIdleKeepAlive how many keep-alives a dual-track function's last Regular Instance may be held when its
 *     recent idle gaps call for it ({@link IdleKeepAlive}); 1 holds for the function's keep-alive only
 * @param dualTrackHoldMinColdShare the least share of a dual-track function's call its cold start must be for that
 *     hold ({@link IdleKeepAlive#minColdShare()}); 0 holds whatever the call's length
 * @param dualTrackFleetSlack the share of one Regular Instance's load a dual-track function's KPA leaves to the
 *     expedited track ({@link KpaSettings#fleetSlack()}); 0 sizes the fleet as kpa's
 * @param dualTrackHoldBudgetMiB the most a dual-track function's idle hold may hold beyond its keep-alive, in MiB for
 *     one keep-alive ({@link IdleKeepAlive#budgetMiB()}); 0: not priced by memory
 */
public record ControlPlaneConfig(
    String replicaId,
    HostPort restBind,
    HostPort grpcBind,
    long tickMs,
    int heartbeatIntervalMs,
    long workerTimeoutMs,
    long drainMs,
    long stableWindowMs,
    int panicWindowPercent,
    double panicThreshold,
    double maxScaleUpRate,
    double maxScaleDownRate,
    int createTimeoutMs,
    long createRetryBackoffMs,
    long reportIntervalMs,
    ScalingPolicy defaultPolicy,
    ApiSecurity security,
    boolean prepullImages,
    Dispatch.Limits asyncLimits,
    InvocationHorizon invocationHorizon,
    boolean dualTrackPanic,
    int dualTrackIdleKeepAlive,
    double dualTrackHoldMinColdShare,
    double dualTrackFleetSlack,
    int dualTrackHoldBudgetMiB) {

  public ControlPlaneConfig {
    if (replicaId.isBlank()) {
      throw new IllegalArgumentException("replicaId must not be empty");
    }
    positive("tickMs", tickMs);
    positive("heartbeatIntervalMs", heartbeatIntervalMs);
    positive("workerTimeoutMs", workerTimeoutMs);
    if (workerTimeoutMs <= heartbeatIntervalMs) {
      throw new IllegalArgumentException("workerTimeoutMs must be > heartbeatIntervalMs (" + heartbeatIntervalMs
          + "), was " + workerTimeoutMs);
    }
    if (drainMs < 0) {
      throw new IllegalArgumentException("drainMs must be >= 0, was " + drainMs);
    }
    positive("createTimeoutMs", createTimeoutMs);
    if (createRetryBackoffMs < 0) {
      throw new IllegalArgumentException("createRetryBackoffMs must be >= 0, was " + createRetryBackoffMs);
    }
    positive("reportIntervalMs", reportIntervalMs);
    java.util.Objects.requireNonNull(defaultPolicy, "defaultPolicy must be set");
    java.util.Objects.requireNonNull(security, "security must be set");
    java.util.Objects.requireNonNull(asyncLimits, "asyncLimits must be set");
    java.util.Objects.requireNonNull(invocationHorizon, "invocationHorizon must be set");
    if (dualTrackIdleKeepAlive < 1 || dualTrackIdleKeepAlive > 100) {
      throw new IllegalArgumentException("dualTrackIdleKeepAlive (--dual-track-idle-keep-alive) must be 1..100, was "
          + dualTrackIdleKeepAlive);
    }
    if (!(dualTrackHoldMinColdShare >= 0 && dualTrackHoldMinColdShare <= 100)) {
      throw new IllegalArgumentException("dualTrackHoldMinColdShare (--dual-track-hold-min-cold-share) must be"
          + " 0..100, was " + dualTrackHoldMinColdShare);
    }
    if (!(dualTrackFleetSlack >= 0 && dualTrackFleetSlack < 1)) {
      throw new IllegalArgumentException("dualTrackFleetSlack (--dual-track-fleet-slack) must be in [0, 1), was "
          + dualTrackFleetSlack);
    }
    if (dualTrackHoldBudgetMiB < 0) {
      throw new IllegalArgumentException("dualTrackHoldBudgetMiB (--dual-track-hold-budget-mib) must be >= 0, was "
          + dualTrackHoldBudgetMiB);
    }
    // Validates and names the KPA fields.
    new KpaSettings(stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate);
  }

  /**
   * Up to 5 keep-alives: with 30 trace minutes of history it lifted the median window from 27-33 % to 41-52 % below
   * kpa's slowdown on three held-out seeds; with none it cannot act (docs/benchmarks.md, stops 25 and 26).
   */
  public static final int DEFAULT_IDLE_KEEP_ALIVE = 5;
  /**
   * Held only where a cold start adds at least 30 % to a call: against the unweighed hold in the same run, a median
   * 0.945-0.979x its memory at the same slowdown on four seeds with 30 trace minutes of history, two of them not used to
   * choose it (docs/benchmarks.md, stop 33).
   */
  public static final double DEFAULT_HOLD_MIN_COLD_SHARE = 0.3;
  /**
   * Four fifths of an instance: side by side with none, 0.940x the memory over five windows with 30 trace minutes of
   * history at a median 0.7 points less slowdown reduction against kpa, and 0.937x without history at 0.4 points more
   * (docs/benchmarks.md, stop 39).
   */
  public static final double DEFAULT_FLEET_SLACK = 0.8;
  /**
   * Twice Lambda's default memory size: with history, on a seed never run before, every window under kpa's cost at a
   * median 2.9 points less slowdown reduction than unpriced (38.0 against 40.9 %), and under kpa's cost on the two
   * costliest windows of earlier runs, where the unpriced hold was 1.13-1.14x (docs/benchmarks.md, stop 41).
   */
  public static final int DEFAULT_HOLD_BUDGET_MIB = 256;

  public static ControlPlaneConfig defaults() {
    return new ControlPlaneConfig("cp-1", new HostPort("0.0.0.0", 9090), new HostPort("0.0.0.0", 9091), 2000, 1000,
        5000, 1000, 60_000, 10, 2.0, 1000, 2, 60_000, 1000, 1000, ScalingPolicy.DUAL_TRACK, ApiSecurity.defaults(),
        true, Dispatch.Limits.DEFAULTS, InvocationHorizon.DEFAULT, false,
        DEFAULT_IDLE_KEEP_ALIVE, DEFAULT_HOLD_MIN_COLD_SHARE, DEFAULT_FLEET_SLACK, DEFAULT_HOLD_BUDGET_MIB);
  }

  public KpaSettings kpa() {
    return new KpaSettings(stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate);
  }

  /** The KPA of dual-track functions: {@link #kpa()}, without panic mode unless {@link #dualTrackPanic()}. */
  public KpaSettings dualTrackKpa() {
    KpaSettings kpa = kpa().withFleetSlack(dualTrackFleetSlack);
    return dualTrackPanic ? kpa : kpa.withoutPanic();
  }

  public ControlPlaneConfig withDualTrackFleetSlack(double value) {
    return Records.with(this, "dualTrackFleetSlack", value);
  }

  public ControlPlaneConfig withDualTrackPanic(boolean value) {
    return Records.with(this, "dualTrackPanic", value);
  }

  public ControlPlaneConfig withDualTrackIdleKeepAlive(int value) {
    return Records.with(this, "dualTrackIdleKeepAlive", value);
  }

  public ControlPlaneConfig withDualTrackHoldMinColdShare(double value) {
    return Records.with(this, "dualTrackHoldMinColdShare", value);
  }

  public ControlPlaneConfig withDualTrackHoldBudgetMiB(int value) {
    return Records.with(this, "dualTrackHoldBudgetMiB", value);
  }

  /** Dual-track functions' idle keep-alive rule. */
  public IdleKeepAlive dualTrackIdleKeepAliveRule() {
    return new IdleKeepAlive(dualTrackIdleKeepAlive, dualTrackHoldMinColdShare, dualTrackHoldBudgetMiB);
  }

  public ControlPlaneConfig withReplicaId(String value) {
    return Records.with(this, "replicaId", value);
  }

  public ControlPlaneConfig withRestBind(HostPort value) {
    return Records.with(this, "restBind", value);
  }

  public ControlPlaneConfig withGrpcBind(HostPort value) {
    return Records.with(this, "grpcBind", value);
  }

  public ControlPlaneConfig withAsyncLimits(Dispatch.Limits value) {
    return Records.with(this, "asyncLimits", value);
  }

  public ControlPlaneConfig withInvocationHorizon(InvocationHorizon value) {
    return Records.with(this, "invocationHorizon", value);
  }

  public ControlPlaneConfig withTickMs(long value) {
    return Records.with(this, "tickMs", value);
  }

  public ControlPlaneConfig withHeartbeatIntervalMs(int value) {
    return Records.with(this, "heartbeatIntervalMs", value);
  }

  public ControlPlaneConfig withWorkerTimeoutMs(long value) {
    return Records.with(this, "workerTimeoutMs", value);
  }

  public ControlPlaneConfig withDrainMs(long value) {
    return Records.with(this, "drainMs", value);
  }

  public ControlPlaneConfig withStableWindowMs(long value) {
    return Records.with(this, "stableWindowMs", value);
  }

  public ControlPlaneConfig withPanicWindowPercent(int value) {
    return Records.with(this, "panicWindowPercent", value);
  }

  public ControlPlaneConfig withPanicThreshold(double value) {
    return Records.with(this, "panicThreshold", value);
  }

  public ControlPlaneConfig withMaxScaleUpRate(double value) {
    return Records.with(this, "maxScaleUpRate", value);
  }

  public ControlPlaneConfig withMaxScaleDownRate(double value) {
    return Records.with(this, "maxScaleDownRate", value);
  }

  public ControlPlaneConfig withCreateTimeoutMs(int value) {
    return Records.with(this, "createTimeoutMs", value);
  }

  public ControlPlaneConfig withCreateRetryBackoffMs(long value) {
    return Records.with(this, "createRetryBackoffMs", value);
  }

  public ControlPlaneConfig withReportIntervalMs(long value) {
    return Records.with(this, "reportIntervalMs", value);
  }

  public ControlPlaneConfig withDefaultPolicy(ScalingPolicy value) {
    return Records.with(this, "defaultPolicy", value);
  }

  public ControlPlaneConfig withSecurity(ApiSecurity value) {
    return Records.with(this, "security", value);
  }

  public ControlPlaneConfig withPrepullImages(boolean value) {
    return Records.with(this, "prepullImages", value);
  }

  private static void positive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, was " + value);
    }
  }
}
