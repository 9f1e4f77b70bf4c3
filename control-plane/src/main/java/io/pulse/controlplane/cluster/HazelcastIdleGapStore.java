package io.pulse.controlplane.cluster;

import com.hazelcast.map.IMap;
import io.pulse.controlplane.autoscale.IdleGapStore;
import io.pulse.controlplane.autoscale.IdleGaps;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle gaps in the replicated map {@code pulse-idle-gaps} (function name to its gaps in milliseconds, oldest
 * first), read from this replica's {@link MapMirror}; the leader writes its own copy at once and the map without
 * waiting.
 */
final class HazelcastIdleGapStore implements IdleGapStore {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastIdleGapStore.class);

  private final IMap<String, long[]> map;
  private final MapMirror<long[], IdleGaps> mirror;

  HazelcastIdleGapStore(IMap<String, long[]> map) {
    this.map = map;
    this.mirror = new MapMirror<>(map, HazelcastIdleGapStore::decode);
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
    IdleGaps gaps = mirror.get(function);
    return gaps == null ? IdleGaps.NONE : gaps;
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
