package io.pulse.controlplane;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.autoscale.KpaSettings;
import io.pulse.controlplane.registry.ScalingPolicy;

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
    ScalingPolicy defaultPolicy) {

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
    // Validates and names the KPA fields.
    new KpaSettings(stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate);
  }

  public static ControlPlaneConfig defaults() {
    return new ControlPlaneConfig("cp-1", new HostPort("0.0.0.0", 9090), new HostPort("0.0.0.0", 9091), 2000, 1000,
        5000, 1000, 60_000, 10, 2.0, 1000, 2, 60_000, 1000, 1000, ScalingPolicy.DUAL_TRACK);
  }

  public KpaSettings kpa() {
    return new KpaSettings(stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate);
  }

  public ControlPlaneConfig withReplicaId(String value) {
    return new ControlPlaneConfig(value, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs, drainMs,
        stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withRestBind(HostPort value) {
    return new ControlPlaneConfig(replicaId, value, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs, drainMs,
        stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withGrpcBind(HostPort value) {
    return new ControlPlaneConfig(replicaId, restBind, value, tickMs, heartbeatIntervalMs, workerTimeoutMs, drainMs,
        stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withTickMs(long value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, value, heartbeatIntervalMs, workerTimeoutMs, drainMs,
        stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withHeartbeatIntervalMs(int value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, value, workerTimeoutMs, drainMs,
        stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withWorkerTimeoutMs(long value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, value, drainMs,
        stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withDrainMs(long value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs, value,
        stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withStableWindowMs(long value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs,
        drainMs, value, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withPanicWindowPercent(int value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs,
        drainMs, stableWindowMs, value, panicThreshold, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withPanicThreshold(double value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs,
        drainMs, stableWindowMs, panicWindowPercent, value, maxScaleUpRate, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withMaxScaleUpRate(double value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs,
        drainMs, stableWindowMs, panicWindowPercent, panicThreshold, value, maxScaleDownRate, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withMaxScaleDownRate(double value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs,
        drainMs, stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, value, createTimeoutMs,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withCreateTimeoutMs(int value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs,
        drainMs, stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, value,
        createRetryBackoffMs, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withCreateRetryBackoffMs(long value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs,
        drainMs, stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate,
        createTimeoutMs, value, reportIntervalMs, defaultPolicy);
  }

  public ControlPlaneConfig withReportIntervalMs(long value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs,
        drainMs, stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate,
        createTimeoutMs, createRetryBackoffMs, value, defaultPolicy);
  }

  public ControlPlaneConfig withDefaultPolicy(ScalingPolicy value) {
    return new ControlPlaneConfig(replicaId, restBind, grpcBind, tickMs, heartbeatIntervalMs, workerTimeoutMs,
        drainMs, stableWindowMs, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate,
        createTimeoutMs, createRetryBackoffMs, reportIntervalMs, value);
  }

  private static void positive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, was " + value);
    }
  }
}
