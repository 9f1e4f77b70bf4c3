package io.pulse.controlplane.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link StateStore} in a map: the contract without the disk. */
final class InMemoryStateStore implements StateStore {

  private final Map<String, StoredEntry> entries = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();

  @Override
  public void put(StoredEntry entry) {
    entries.put(entry.key(), entry);
  }

  @Override
  public void delete(java.util.Collection<String> keys) {
    keys.forEach(entries::remove);
  }

  @Override
  public Map<String, StoredEntry> loadAll() {
    return Map.copyOf(entries);
  }

  @Override
  public long epoch() {
    return epoch.get();
  }

  @Override
  public void putEpoch(long value) {
    epoch.accumulateAndGet(value, Math::max);
  }

  @Override
  public void close() {}
}
