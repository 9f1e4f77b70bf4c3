package io.pulse.controlplane.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link StateStore} in a map: the contract without the disk. */
final class InMemoryStateStore implements StateStore {

  private final Map<String, StoredFunction> entries = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();

  @Override
  public void put(StoredFunction entry) {
    entries.put(entry.name(), entry);
  }

  @Override
  public Map<String, StoredFunction> loadAll() {
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
