package io.pulse.k8sbridge.watch;

/** Doubling delays between a floor and a ceiling; {@link #reset()} after a success. Not thread-safe. */
final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private long next;

  Backoff(long minMillis, long maxMillis) {
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.next = minMillis;
  }

  long nextDelayMillis() {
    long delay = next;
    next = Math.min(maxMillis, next * 2);
    return delay;
  }

  void reset() {
    next = minMillis;
  }
}
