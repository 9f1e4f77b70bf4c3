package io.pulse.bench.driver;

import io.pulse.common.config.Records;
import org.jspecify.annotations.Nullable;

/**
 * What an experiment needs from the Pulse it runs on.
 *
 * @param runtime worker sandbox runtime ({@code fake}, {@code process}, {@code containerd})
 * @param policy the cluster's default scaling policy ({@code dual-track}, {@code kpa}, {@code emergency-only})
 * @param fakeColdStart fake runtime's cold-start distribution ({@code N}, {@code uniform:LO:HI}, {@code exp:MEAN},
 *     {@code lognormal:MEDIAN:SIGMA})
 * @param seed seeds the fake runtime's samples
 * @param tickMs autoscaler period
 * @param stableWindowMs KPA stable window
 * @param cpuMillis worker capacity offered to sandboxes
 * @param memoryMiB worker capacity offered to sandboxes
 * @param serveHttp fake runtime: false gives bare endpoints (control-plane load tests)
 * @param drainMs time between taking a Regular Instance out of routing and deleting it: longer than the longest
 *     request, or a request still running on a scaled-down instance is cut (502)
 * @param poolMembers the worker's pool budget in members (0: no pools)
 * @param poolMemoryMiB the worker's pool budget in memory
 * @param fakePoolStart fake runtime: the distribution of a pool hit's start (claim to ready)
 * @param dualTrackPanic whether dual-track functions' KPA panics ({@code --dual-track-panic}); null: the default
 * @param dualTrackIdleKeepAlive the control plane's {@code --dual-track-idle-keep-alive}; null: the default
 * @param dualTrackHoldMinColdShare the control plane's {@code --dual-track-hold-min-cold-share}; null: the default
 * @param dualTrackFleetSlack the control plane's {@code --dual-track-fleet-slack}; null: the default
 * @param dualTrackHoldBudgetMiB the control plane's {@code --dual-track-hold-budget-mib}; null: the default
 */
public record PulseSetup(String runtime, String policy, String fakeColdStart, long seed, int tickMs,
    long stableWindowMs, int cpuMillis, int memoryMiB, boolean serveHttp, long drainMs, int poolMembers,
    long poolMemoryMiB, String fakePoolStart, @Nullable Boolean dualTrackPanic,
    @Nullable Integer dualTrackIdleKeepAlive, @Nullable Double dualTrackHoldMinColdShare,
    @Nullable Double dualTrackFleetSlack, @Nullable Integer dualTrackHoldBudgetMiB) {

  /** A Pulse without sandbox pools. */
  public PulseSetup(String runtime, String policy, String fakeColdStart, long seed, int tickMs, long stableWindowMs,
      int cpuMillis, int memoryMiB, boolean serveHttp, long drainMs) {
    this(runtime, policy, fakeColdStart, seed, tickMs, stableWindowMs, cpuMillis, memoryMiB, serveHttp, drainMs, 0, 0,
        "0", null, null, null, null, null);
  }

  /** The same with a pool budget (fake runtime: pool hits taking {@code start}). */
  public PulseSetup withPools(int members, long memory, String start) {
    return Records.with(Records.with(Records.with(this, "poolMembers", members), "poolMemoryMiB", memory),
        "fakePoolStart", start);
  }

  /** The same with dual-track functions' KPA panicking or not ({@code null}: the control plane's default). */
  public PulseSetup withDualTrackPanic(@Nullable Boolean value) {
    return Records.with(this, "dualTrackPanic", value);
  }

  /** The same with dual-track functions' idle keep-alive factor ({@code null}: the control plane's default). */
  public PulseSetup withDualTrackIdleKeepAlive(@Nullable Integer value) {
    return Records.with(this, "dualTrackIdleKeepAlive", value);
  }

  /** The same with dual-track's fleet slack ({@code null}: the control plane's default). */
  public PulseSetup withDualTrackFleetSlack(@Nullable Double value) {
    return Records.with(this, "dualTrackFleetSlack", value);
  }

  /** The same with the idle hold's memory budget ({@code null}: the control plane's default). */
  public PulseSetup withDualTrackHoldBudgetMiB(@Nullable Integer value) {
    return Records.with(this, "dualTrackHoldBudgetMiB", value);
  }

  /** The same with the idle hold's least cold-start share ({@code null}: the control plane's default). */
  public PulseSetup withDualTrackHoldMinColdShare(@Nullable Double value) {
    return Records.with(this, "dualTrackHoldMinColdShare", value);
  }
}
