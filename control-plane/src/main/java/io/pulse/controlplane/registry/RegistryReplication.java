package io.pulse.controlplane.registry;

import io.pulse.controlplane.state.StoredEntry;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@link ReplicatedFunctionRegistry} needs from the cluster: who may write, and a replicated map of entries
 * (functions and sealed secrets) by key.
 * Blocking methods run on the registry's writer thread or a worker thread, never an event loop.
 */
public interface RegistryReplication {

  /**
   * The epoch of the leader term this replica writes in.
   *
   * @throws NotLeaderException when this replica may not write now (the message says where to retry)
   */
  long writeEpoch();

  /**
   * Makes {@code entry} visible to every replica and returns once a majority of replicas (this one, which has
   * already persisted it, included) have it on disk.
   *
   * @throws NotLeaderException when no majority confirmed it in time (the write may still spread: retry, expecting
   *     that it may already have been applied)
   */
  void replicate(StoredEntry entry);

  /** Tells the writer that this replica has {@code entry} (or a newer one for its key) on disk. Non-blocking. */
  default void acknowledge(StoredEntry entry) {}

  /** Every entry of the replicated map (a remote read). */
  Map<String, StoredEntry> entries();

  /** Puts {@code entry} into the replicated map unless it already holds the same or a newer one (rejoin merge). */
  void offer(StoredEntry entry);

  /** Drops the entries under {@code keys} from the replicated map (purged invocations); the leader only. */
  default void remove(java.util.Collection<String> keys) {}

  /** Calls {@code listener} with every entry written to the map by any replica, in order per name. */
  void listen(Consumer<StoredEntry> listener);

  /**
   * Calls {@code action} (on a cluster thread) whenever a replica leaves the view. The events of the map entries it
   * owned that it had not yet sent die with it: an entry can then be in the map, and on the disks of a majority, yet
   * never reach another replica by {@link #listen}.
   */
  default void onReplicaLeft(Runnable action) {}

  /** A single replica: always the writer, at {@code epoch}, with nothing to replicate to. */
  static RegistryReplication solo(long epoch) {
    return new RegistryReplication() {
      @Override
      public long writeEpoch() {
        return epoch;
      }

      @Override
      public void replicate(StoredEntry entry) {}

      @Override
      public Map<String, StoredEntry> entries() {
        return Map.of();
      }

      @Override
      public void offer(StoredEntry entry) {}

      @Override
      public void listen(Consumer<StoredEntry> listener) {}
    };
  }
}
