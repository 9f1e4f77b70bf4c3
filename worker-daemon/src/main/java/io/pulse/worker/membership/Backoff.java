package io.pulse.worker.membership;

/** Doubling retry delay between a floor and a ceiling: 100 ms, 200 ms, ... 2 s, 2 s, ... */
record Backoff(long delayMs, long maxMs) {

  static final Backoff INITIAL = new Backoff(100, 2_000);

  Backoff next() {
    return new Backoff(Math.min(maxMs, delayMs * 2), maxMs);
  }
}
