package io.pulse.common.time;

/**
 * Tells a pause of this process from the gaps between the calls of a periodic task: a gap longer than
 * {@code boundMillis} means the process did not run (its VM paused for a snapshot or a migration, a long GC, a blocked
 * loop), so silence it would have heard meanwhile must not count against whoever it listens to. The leader's failure
 * detector and a worker's lease reaper use it. Not thread-safe: one periodic task owns it.
 */
public final class PauseDetector {

  private static final long NEVER = Long.MIN_VALUE;

  private final long boundMillis;
  private long lastMillis = NEVER;

  /** @param boundMillis the longest gap between two calls that is not a pause (a few of the task's periods) */
  public PauseDetector(long boundMillis) {
    this.boundMillis = boundMillis;
  }

  /**
   * Marks a moment the process was running. Measured from the latest time seen, so a clock stepped back is no pause.
   *
   * @return how long the process had not run, when that is longer than the bound; 0 otherwise (and on the first call)
   */
  public long observe(long nowMillis) {
    long gap = lastMillis == NEVER ? 0 : nowMillis - lastMillis;
    lastMillis = Math.max(lastMillis, nowMillis);
    return gap > boundMillis ? gap : 0;
  }
}
