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
 */
public record FakeProfile(Distribution coldStartMs, Distribution executionMs, boolean serveHttp, long seed) {

  /** Ready at once, answers at once, serves HTTP. */
  public static final FakeProfile DEFAULT = new FakeProfile(Distribution.ZERO, Distribution.ZERO, true, 0);

  public FakeProfile withColdStartMs(Distribution value) {
    return new FakeProfile(value, executionMs, serveHttp, seed);
  }

  public FakeProfile withExecutionMs(Distribution value) {
    return new FakeProfile(coldStartMs, value, serveHttp, seed);
  }

  public FakeProfile withServeHttp(boolean value) {
    return new FakeProfile(coldStartMs, executionMs, value, seed);
  }

  public FakeProfile withSeed(long value) {
    return new FakeProfile(coldStartMs, executionMs, serveHttp, value);
  }
}
