package io.pulse.bench.driver;

import io.pulse.common.config.Records;

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
 * @param dualTrack the control plane's dual-track settings this run sets (the rest: its defaults)
 */
public record PulseSetup(String runtime, String policy, String fakeColdStart, long seed, int tickMs,
    long stableWindowMs, int cpuMillis, int memoryMiB, boolean serveHttp, long drainMs, int poolMembers,
    long poolMemoryMiB, String fakePoolStart, DualTrackOverrides dualTrack) {

  /** A Pulse without sandbox pools. */
  public PulseSetup(String runtime, String policy, String fakeColdStart, long seed, int tickMs, long stableWindowMs,
      int cpuMillis, int memoryMiB, boolean serveHttp, long drainMs) {
    this(runtime, policy, fakeColdStart, seed, tickMs, stableWindowMs, cpuMillis, memoryMiB, serveHttp, drainMs, 0, 0,
        "0", DualTrackOverrides.NONE);
  }

  /** The same with a pool budget (fake runtime: pool hits taking {@code start}). */
  public PulseSetup withPools(int members, long memory, String start) {
    return Records.with(Records.with(Records.with(this, "poolMembers", members), "poolMemoryMiB", memory),
        "fakePoolStart", start);
  }

  /** The same with the control plane's dual-track settings {@code overrides} (null components: its defaults). */
  public PulseSetup withDualTrack(DualTrackOverrides overrides) {
    return Records.with(this, "dualTrack", overrides);
  }
}
