package io.pulse.dataplane.lb;

import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Claims slots: asks the policy for an instance, then takes the slot with a compare-and-set on its counter. Lock-free;
 * a lost race means another request progressed, so the loop asks the policy again. Instances that refused a connection
 * lately ({@link Suspects}) are passed over while the route has others; when all are suspect they are used as before,
 * since failing outright would be no better.
 */
public final class Balancer {

  private final InFlightCounters counters;
  private final LbPolicy policy;
  private final Suspects suspects;
  private final AtomicInteger rotation = new AtomicInteger();
  private volatile Consumer<String> releaseListener = function -> {};

  public Balancer(InFlightCounters counters, LbPolicy policy) {
    this(counters, policy, Suspects.none());
  }

  public Balancer(InFlightCounters counters, LbPolicy policy, Suspects suspects) {
    this.counters = counters;
    this.policy = policy;
    this.suspects = suspects;
  }

  /** Told (with the function name) every time a slot frees up; set once while wiring, before traffic. */
  public void onRelease(Consumer<String> listener) {
    this.releaseListener = listener;
  }

  /** A lease on the least-loaded instance of {@code route} with a free slot, or null when all are full. */
  public @Nullable Lease tryAcquire(Route route) {
    if (route.instances().isEmpty()) {
      return null;
    }
    int start = rotation.getAndIncrement() & Integer.MAX_VALUE;
    int slots = route.slotsPerInstance();
    List<Instance> candidates = trusted(route.instances());
    while (true) {
      Instance picked = policy.pick(candidates, i -> counters.inFlight(i.id()), slots, start);
      if (picked == null) {
        return null;
      }
      AtomicInteger counter = counters.counter(picked.id());
      int current = counter.get();
      if (current < slots && counter.compareAndSet(current, current + 1)) {
        return new Lease(route.function(), picked, counter, this::released);
      }
    }
  }

  /** Free slots on the route's instances that {@link #tryAcquire} would use now (a snapshot). */
  public int freeSlots(Route route) {
    int slots = route.slotsPerInstance();
    int free = 0;
    for (Instance instance : trusted(route.instances())) {
      free += Math.max(0, slots - counters.inFlight(instance.id()));
    }
    return free;
  }

  /** The instances that are not suspect, or all of them when none is left. */
  private List<Instance> trusted(List<Instance> instances) {
    if (suspects.isEmpty()) {
      return instances;
    }
    List<Instance> trusted = new ArrayList<>(instances.size());
    for (Instance instance : instances) {
      if (!suspects.suspect(instance.id())) {
        trusted.add(instance);
      }
    }
    return trusted.isEmpty() ? instances : trusted;
  }

  private void released(String function) {
    releaseListener.accept(function);
  }
}
