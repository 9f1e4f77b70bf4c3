package io.pulse.controlplane.cluster;

/**
 * When the member list last changed, and how long an epoch claim should still wait for the change to reach every
 * member.
 *
 * <p>After a member dies, the new master applies the shorter member list and partition table first and the other
 * members some milliseconds later. A write in between sends its synchronous backup to a member that has not caught
 * up, which never acknowledges it: the write then returns only when Hazelcast's invocation monitor, which scans once
 * a second, finds the 500 ms backup timeout passed. In the failover bench two epoch claims sent 2 and 6 ms after the
 * new master removed the dead member (the other survivor followed 9 and 13 ms after the claim) took 0.7 and 1.5 s;
 * every other claim took milliseconds. Waiting a little after each change costs every failover that little and
 * spares it the second.
 */
final class MembershipSettle {

  private final long settleMillis;
  private long changedAtMillis = Long.MIN_VALUE;

  /** @param settleMillis how long after a member-list change a claim waits */
  MembershipSettle(long settleMillis) {
    this.settleMillis = settleMillis;
  }

  /** The member list changed (a member joined or left, or a split merged). */
  synchronized void changed(long nowMillis) {
    changedAtMillis = nowMillis;
  }

  /** How long a claim should still wait; 0 once settled. Never more than the settle time, whatever the clock did. */
  synchronized long waitMillis(long nowMillis) {
    if (changedAtMillis == Long.MIN_VALUE) {
      return 0;
    }
    long since = nowMillis - changedAtMillis;
    return since < 0 ? settleMillis : Math.max(0, settleMillis - since);
  }
}
