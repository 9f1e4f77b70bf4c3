package io.pulse.dataplane.lb;

import io.pulse.dataplane.routing.Instance;
import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Picks the instance for the next request from a snapshot of loads, or null when every instance is full. Pure: the
 * {@link Balancer} does the atomic claim and asks again if it loses a race.
 */
@FunctionalInterface
public interface LbPolicy {

  /**
   * @param instances the ready instances
   * @param inFlight the current in-flight count of an instance
   * @param slots the hard per-instance limit
   * @param start where to begin scanning, so that ties rotate instead of always landing on the first instance
   */
  @Nullable Instance pick(List<Instance> instances, ToIntFunction<Instance> inFlight, int slots, int start);

  /** The least-loaded instance that still has a free slot; ties go to the first one at or after {@code start}. */
  static LbPolicy leastLoaded() {
    return (instances, inFlight, slots, start) -> {
      int n = instances.size();
      Instance best = null;
      int bestLoad = Integer.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        Instance candidate = instances.get(Math.floorMod(start + i, n));
        int load = inFlight.applyAsInt(candidate);
        if (load < slots && load < bestLoad) {
          best = candidate;
          bestLoad = load;
        }
      }
      return best;
    };
  }
}
