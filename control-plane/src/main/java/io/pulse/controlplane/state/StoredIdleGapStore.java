package io.pulse.controlplane.state;

import io.pulse.controlplane.autoscale.IdleGapStore;
import io.pulse.controlplane.autoscale.IdleGaps;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle gaps in a control plane's {@link StateStore} (its data directory), so that they outlive a restart: a lone
 * control plane's only copy, and each replica's own copy of the replicated map's. Read once when the replica starts, then from memory; written
 * behind the caller's back, once per recorded gap.
 */
public final class StoredIdleGapStore implements IdleGapStore {

  private static final Logger LOG = LoggerFactory.getLogger(StoredIdleGapStore.class);

  private final StateStore store;
  private final Map<String, IdleGaps> copy = new ConcurrentHashMap<>();

  /** Blocking: reads what the store holds. */
  public StoredIdleGapStore(StateStore store) {
    this.store = store;
    store.idleGaps().forEach((function, millis) -> {
      try {
        copy.put(function, IdleGaps.of(millis));
      } catch (IllegalArgumentException e) {
        LOG.atWarn().setMessage("unreadable idle gaps skipped").addKeyValue("function", function)
            .addKeyValue("error", e.toString()).log();
      }
    });
  }

  @Override
  public IdleGaps gaps(String function) {
    return copy.getOrDefault(function, IdleGaps.NONE);
  }

  @Override
  public void put(String function, IdleGaps gaps) {
    if (gaps.equals(copy.put(function, gaps))) {
      return; // as stored (a replica's own write coming back from the replicated map)
    }
    written(function, store.putIdleGaps(function, gaps.millis()));
  }

  @Override
  public void remove(String function) {
    copy.remove(function);
    written(function, store.putIdleGaps(function, null));
  }

  private static void written(String function, java.util.concurrent.CompletableFuture<Void> write) {
    write.whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.atWarn().setMessage("idle gaps not written").addKeyValue("function", function)
            .addKeyValue("error", failure.toString()).log();
      }
    });
  }
}
