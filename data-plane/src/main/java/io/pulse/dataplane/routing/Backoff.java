package io.pulse.dataplane.routing;

/** Doubling reconnect delay between a floor and a ceiling; reset once a connection proves healthy. */
final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private long next;

  Backoff(long minMillis, long maxMillis) {
    if (minMillis < 1 || maxMillis < minMillis) {
      throw new IllegalArgumentException("backoff needs 1 <= min <= max, got " + minMillis + ".." + maxMillis);
    }
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.next = minMillis;
  }

  synchronized long nextDelayMillis() {
    long delay = next;
    next = Math.min(maxMillis, next * 2);
    return delay;
  }

  synchronized void reset() {
    next = minMillis;
  }
}
