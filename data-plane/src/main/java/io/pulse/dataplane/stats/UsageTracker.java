package io.pulse.dataplane.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Busy time per instance (time with at least one request in flight through this data plane) and, for the Emergency
 * Instances this data plane created, the facts the control plane cannot see otherwise (worker, creation latency,
 * lifetime, memory). {@link #closeInterval()} hands out what happened since the previous call: the control plane
 * integrates it into per-instance accounting (normalized cost, creation rates).
 */
public final class UsageTracker {

  /** What the control plane learns about an Emergency Instance. {@code endedAtMillis} is 0 while it lives. */
  public record EmergencyFacts(String workerId, long createdAtMillis, long creationMicros, long endedAtMillis,
      int memoryMiB) {}

  /** One instance's usage over one interval. {@code emergency} is null for Regular Instances. */
  public record Sample(String instanceId, String function, long busyMicros, @Nullable EmergencyFacts emergency,
      int inFlight) {}

  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  UsageTracker(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** A request began on the instance. */
  public void began(String instanceId, String function) {
    entries.computeIfAbsent(instanceId, id -> new Entry(function)).began(nanoClock.getAsLong());
  }

  /** A request on the instance ended. */
  public void ended(String instanceId) {
    Entry entry = entries.get(instanceId);
    if (entry != null) {
      entry.ended(nanoClock.getAsLong());
    }
  }

  public void emergencyCreated(String instanceId, String function, String workerId, long createdAtMillis,
      long creationMicros, int memoryMiB) {
    entries.computeIfAbsent(instanceId, id -> new Entry(function))
        .facts(new EmergencyFacts(workerId, createdAtMillis, creationMicros, 0, memoryMiB));
  }

  public void emergencyEnded(String instanceId, long endedAtMillis) {
    Entry entry = entries.get(instanceId);
    if (entry != null) {
      entry.endedAt(endedAtMillis);
    }
  }

  /** Usage since the previous call; forgets idle Regular Instances and ended Emergency Instances once reported. */
  public List<Sample> closeInterval() {
    long now = nanoClock.getAsLong();
    List<Sample> samples = new ArrayList<>();
    entries.forEach((id, entry) -> {
      Sample sample = entry.close(id, now);
      if (sample != null) {
        samples.add(sample);
      }
      if (entry.finished()) {
        entries.remove(id, entry);
      }
    });
    return samples;
  }

  /** One instance; every method holds its (uncontended, I/O-free) monitor. */
  private static final class Entry {
    private final String function;
    private int inFlight;
    private long busySince;
    private long busyNanos;
    private @Nullable EmergencyFacts facts;
    private boolean reportedEnd;

    Entry(String function) {
      this.function = function;
    }

    synchronized void began(long now) {
      if (inFlight++ == 0) {
        busySince = now;
      }
    }

    synchronized void ended(long now) {
      if (inFlight > 0 && --inFlight == 0) {
        busyNanos += now - busySince;
      }
    }

    synchronized void facts(EmergencyFacts value) {
      facts = value;
    }

    synchronized void endedAt(long endedAtMillis) {
      if (facts != null) {
        facts = new EmergencyFacts(facts.workerId(), facts.createdAtMillis(), facts.creationMicros(), endedAtMillis,
            facts.memoryMiB());
      }
    }

    synchronized @Nullable Sample close(String id, long now) {
      long busy = busyNanos;
      if (inFlight > 0) {
        busy += now - busySince;
        busySince = now;
      }
      busyNanos = 0;
      if (busy == 0 && facts == null) {
        return null;
      }
      if (facts != null && facts.endedAtMillis() > 0) {
        reportedEnd = true;
      }
      return new Sample(id, function, busy / 1_000, facts, inFlight);
    }

    synchronized boolean finished() {
      return inFlight == 0 && (facts == null || reportedEnd);
    }
  }
}
