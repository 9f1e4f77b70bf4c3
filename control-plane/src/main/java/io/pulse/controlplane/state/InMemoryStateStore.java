package io.pulse.controlplane.state;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** A {@link StateStore} in a map: the contract without the disk. */
final class InMemoryStateStore implements StateStore {

  private final Map<String, StoredEntry> entries = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private final Map<String, long[]> idleGaps = new ConcurrentHashMap<>();

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
  public Map<String, long[]> idleGaps() {
    Map<String, long[]> copy = new java.util.HashMap<>();
    idleGaps.forEach((function, gaps) -> copy.put(function, gaps.clone()));
    return copy;
  }

  @Override
  public CompletableFuture<Void> putIdleGaps(String function, long @Nullable [] gaps) {
    if (gaps == null) {
      idleGaps.remove(function);
    } else {
      idleGaps.put(function, gaps.clone());
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}
}
