package io.pulse.controlplane.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.pulse.controlplane.registry.NotLeaderException;
import io.pulse.controlplane.registry.RegistryReplication;
import io.pulse.controlplane.state.StoredEntry;
import io.pulse.controlplane.state.StoredFunctionCodec;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The registry's replicated map: {@code pulse-functions}, key to {@link StoredFunctionCodec} JSON (functions by
 * name, sealed secrets under {@code secret/NAME}). Writes are
 * synchronous with a backup on every other replica and refused by Hazelcast's split-brain protection without a
 * majority.
 */
final class HazelcastRegistryReplication implements RegistryReplication {

  private final IMap<String, String> map;
  private final Supplier<ClusterState> state;

  HazelcastRegistryReplication(IMap<String, String> map, Supplier<ClusterState> state) {
    this.map = map;
    this.state = state;
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
    map.set(entry.key(), StoredFunctionCodec.encode(entry));
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
  public void listen(Consumer<StoredEntry> listener) {
    map.addEntryListener(new Listener(listener), true);
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
