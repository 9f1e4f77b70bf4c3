package io.pulse.dataplane.lb;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Instances that refused a connection lately. The routing table can name an instance the control plane has already
 * deleted (routes catch up a few seconds later); new requests avoid a suspect until its suspicion ends or it leaves
 * the table. Lock-free; expired entries go when next looked at.
 */
public final class Suspects {

  private final LongSupplier nanoTime;
  private final long forNanos;
  private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();

  /** {@code forNanos}: how long one refusal keeps an instance suspect, read on {@code nanoTime}. */
  public Suspects(LongSupplier nanoTime, long forNanos) {
    this.nanoTime = nanoTime;
    this.forNanos = forNanos;
  }

  /** Never suspects anybody (tests of other things, and a Balancer built without suspicion). */
  static Suspects none() {
    return new Suspects(() -> 0, 0);
  }

  /** {@code instanceId} refused a connection just now. */
  public void refused(String instanceId) {
    until.put(instanceId, nanoTime.getAsLong() + forNanos);
  }

  public boolean isEmpty() {
    return until.isEmpty();
  }

  boolean suspect(String instanceId) {
    Long end = until.get(instanceId);
    if (end == null) {
      return false;
    }
    if (end - nanoTime.getAsLong() > 0) {
      return true;
    }
    until.remove(instanceId, end);
    return false;
  }

  /** Forgets instances that left the table. */
  public void retainOnly(Set<String> liveInstanceIds) {
    until.keySet().retainAll(liveInstanceIds);
  }
}
