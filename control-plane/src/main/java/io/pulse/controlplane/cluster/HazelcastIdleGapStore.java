package io.pulse.controlplane.cluster;

import com.hazelcast.map.IMap;
import io.pulse.controlplane.autoscale.IdleGapStore;
import io.pulse.controlplane.autoscale.IdleGaps;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle gaps in the replicated map {@code pulse-idle-gaps} (function name to its gaps in milliseconds, oldest
 * first). Every replica's {@link MapMirror} of the map passes each change on to {@code local}, the replica's own
 * store on its disk, and reads come from there: after a restart of the whole cluster the map is empty, but each
 * replica still has the gaps it last saw. The leader writes its own copy at once and the map without waiting. What a
 * replica missed while it was down (a deleted function's removal) stays on its disk until that function's next gap
 * replaces it: a hint for a function re-created under the same name, never a routing decision.
 */
final class HazelcastIdleGapStore implements IdleGapStore {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastIdleGapStore.class);

  private final IMap<String, long[]> map;
  private final MapMirror<long[], IdleGaps> mirror;
  private final IdleGapStore local;

  /** @param local this replica's own copy (its data directory), read at start and kept from the map's changes */
  HazelcastIdleGapStore(IMap<String, long[]> map, IdleGapStore local) {
    this.map = map;
    this.local = local;
    this.mirror = new MapMirror<>(map, HazelcastIdleGapStore::decode, (function, gaps) -> {
      if (gaps == null) {
        local.remove(function);
      } else {
        local.put(function, gaps);
      }
    });
  }

  private static @Nullable IdleGaps decode(long[] millis) {
    try {
      return IdleGaps.of(millis);
    } catch (IllegalArgumentException e) {
      LOG.atWarn().setMessage("unreadable idle gaps skipped").addKeyValue("error", e.toString()).log();
      return null;
    }
  }

  @Override
  public IdleGaps gaps(String function) {
    return local.gaps(function);
  }

  @Override
  public void put(String function, IdleGaps gaps) {
    mirror.put(function, gaps);
    map.setAsync(function, gaps.millis()).whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.atWarn().setMessage("idle gaps not replicated").addKeyValue("function", function)
            .addKeyValue("error", failure.toString()).log();
      }
    });
  }

  @Override
  public void remove(String function) {
    mirror.remove(function);
    map.deleteAsync(function).whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.atDebug().setMessage("idle gaps not deleted").addKeyValue("function", function)
            .addKeyValue("error", failure.toString()).log();
      }
    });
  }
}
