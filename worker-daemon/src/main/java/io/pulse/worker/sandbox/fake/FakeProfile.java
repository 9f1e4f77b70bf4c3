package io.pulse.worker.sandbox.fake;

/**
 * How fake sandboxes behave.
 *
 * @param coldStartMs time from a create call to a ready sandbox
 * @param executionMs time a fake instance takes to answer one request (a timer: no CPU is burned); a request's
 *     {@code ?sleep=MS} overrides it
 * @param serveHttp whether each sandbox serves HTTP on its endpoint (an in-process Vert.x server on the advertised
 *     host); false: endpoints are bare numbers, for simulating control-plane load with thousands of sandboxes
 * @param seed seeds the samples, so that a run can be repeated
 * @param poolStartMs time from claiming a pool member (created in the background in {@code coldStartMs}) to a ready
 *     sandbox: the simulated pool's hit (a containerd pool hit measured 27-31 ms from claim to answer, docs/benchmarks.md
 *     "Pool modes")
 */
public record FakeProfile(Distribution coldStartMs, Distribution executionMs, boolean serveHttp, long seed,
    Distribution poolStartMs) {

  /** Ready at once, answers at once, serves HTTP. */
  public static final FakeProfile DEFAULT = new FakeProfile(Distribution.ZERO, Distribution.ZERO, true, 0);

  /** A profile whose pool hits are ready at once. */
  public FakeProfile(Distribution coldStartMs, Distribution executionMs, boolean serveHttp, long seed) {
    this(coldStartMs, executionMs, serveHttp, seed, Distribution.ZERO);
  }

  public FakeProfile withColdStartMs(Distribution value) {
    return new FakeProfile(value, executionMs, serveHttp, seed, poolStartMs);
  }

  public FakeProfile withExecutionMs(Distribution value) {
    return new FakeProfile(coldStartMs, value, serveHttp, seed, poolStartMs);
  }

  public FakeProfile withServeHttp(boolean value) {
    return new FakeProfile(coldStartMs, executionMs, value, seed, poolStartMs);
  }

  public FakeProfile withSeed(long value) {
    return new FakeProfile(coldStartMs, executionMs, serveHttp, value, poolStartMs);
  }

  public FakeProfile withPoolStartMs(Distribution value) {
    return new FakeProfile(coldStartMs, executionMs, serveHttp, seed, value);
  }
}
