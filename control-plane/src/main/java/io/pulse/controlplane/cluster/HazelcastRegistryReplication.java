package io.pulse.controlplane.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.pulse.controlplane.registry.NotLeaderException;
import io.pulse.controlplane.registry.RegistryReplication;
import io.pulse.controlplane.state.StoredEntry;
import io.pulse.controlplane.state.StoredFunctionCodec;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The registry's replicated map: {@code pulse-functions}, key to {@link StoredFunctionCodec} JSON (functions by
 * name, sealed secrets under {@code secret/NAME}). A write is refused by Hazelcast's split-brain protection without
 * a majority in view, and acknowledged only once enough followers confirmed it on their disks ({@link DiskAcks}),
 * within {@link #WRITE_DEADLINE}.
 */
final class HazelcastRegistryReplication implements RegistryReplication {

  /** How long a write may take to reach a majority's disks; a healthy cluster needs milliseconds. */
  static final Duration WRITE_DEADLINE = Duration.ofSeconds(3);

  private final IMap<String, String> map;
  private final Supplier<ClusterState> state;
  private final DiskAcks acks;
  private final List<Runnable> replicaLeft = new CopyOnWriteArrayList<>();

  HazelcastRegistryReplication(IMap<String, String> map, IMap<String, String> acks, Supplier<ClusterState> state) {
    this.map = map;
    this.state = state;
    this.acks = new DiskAcks(acks, state);
  }

  @Override
  public long writeEpoch() {
    ClusterState current = state.get();
    if (!current.isLeader()) {
      ReplicaInfo leader = current.leader();
      throw new NotLeaderException(current.refusal(), leader == null ? null : leader.id(),
          leader == null ? null : leader.restAddress());
    }
    return current.epoch();
  }

  @Override
  public void replicate(StoredEntry entry) {
    ClusterState current = state.get();
    long deadline = System.nanoTime() + WRITE_DEADLINE.toNanos();
    try (DiskAcks.Pending confirmations = acks.expect(entry, current.quorum() - 1)) {
      map.setAsync(entry.key(), StoredFunctionCodec.encode(entry)).toCompletableFuture()
          .get(WRITE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      if (!confirmations.await(deadline - System.nanoTime())) {
        throw noMajority(current, 1 + confirmations.confirmed());
      }
    } catch (SplitBrainProtectionException e) {
      // Thrown at once, not through the future, when this member already counts too few others.
      throw noMajority(current, 1);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SplitBrainProtectionException) {
        throw noMajority(current, 1);
      }
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw noMajority(current, 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw noMajority(current, 1);
    }
  }

  @Override
  public void acknowledge(StoredEntry entry) {
    acks.confirm(entry);
  }

  private static NotLeaderException noMajority(ClusterState state, int onDisk) {
    return new NotLeaderException("the write reached the disks of " + onDisk + " of the " + state.quorum()
        + " replicas a majority needs within " + WRITE_DEADLINE.toSeconds() + " s (replica " + state.self().id()
        + " may be cut off from the others); it may still be applied: retry, expecting that it may already be there",
        null, null);
  }

  @Override
  public Map<String, StoredEntry> entries() {
    Map<String, StoredEntry> entries = new HashMap<>();
    map.entrySet().forEach(e -> entries.put(e.getKey(), StoredFunctionCodec.decode(e.getValue())));
    return entries;
  }

  @Override
  public void offer(StoredEntry entry) {
    String value = StoredFunctionCodec.encode(entry);
    while (true) {
      String current = map.get(entry.key());
      if (current == null) {
        if (map.putIfAbsent(entry.key(), value) == null) {
          return;
        }
      } else if (!entry.newerThan(StoredFunctionCodec.decode(current))) {
        return;
      } else if (map.replace(entry.key(), current, value)) {
        return;
      }
    }
  }

  @Override
  public void remove(java.util.Collection<String> keys) {
    // No listener hears removals: every replica purges its own copy by the same rule (InvocationHorizon).
    keys.forEach(map::delete);
  }

  @Override
  public void listen(Consumer<StoredEntry> listener) {
    map.addEntryListener(new Listener(listener), true);
  }

  @Override
  public void onReplicaLeft(Runnable action) {
    replicaLeft.add(action);
  }

  /** A replica left the view (the cluster's membership listener). */
  void replicaLeft() {
    replicaLeft.forEach(Runnable::run);
  }

  private record Listener(Consumer<StoredEntry> target) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryMergedListener<String, String> {

    @Override
    public void entryAdded(com.hazelcast.core.EntryEvent<String, String> event) {
      deliver(event.getValue());
    }

    @Override
    public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> event) {
      deliver(event.getValue());
    }

    @Override
    public void entryMerged(com.hazelcast.core.EntryEvent<String, String> event) {
      deliver(event.getValue());
    }

    private void deliver(String value) {
      if (value != null) {
        target.accept(StoredFunctionCodec.decode(value));
      }
    }
  }
}
