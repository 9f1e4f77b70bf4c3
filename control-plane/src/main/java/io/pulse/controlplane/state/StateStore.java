package io.pulse.controlplane.state;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One replica's durable copy of the registry (functions and sealed secrets) plus the highest leader epoch it knows. Writes return once they are on
 * disk (fsync'd) for the durable implementation. Blocking: call it from a worker thread, never an event loop. One
 * writer at a time per entry key; different names may be written concurrently.
 */
public interface StateStore extends AutoCloseable {

  /** Stores {@code entry}, replacing whatever the store holds under its key. */
  void put(StoredEntry entry);

  /**
   * Stores {@code entry} without waiting: the future completes once it is on disk (the durable store shares one fsync
   * among the writes waiting for it), or fails as {@link #put} would. Writes are applied in the order submitted.
   */
  default CompletableFuture<Void> putAsync(StoredEntry entry) {
    try {
      put(entry);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Removes the entries under {@code keys} (in one synchronous write for the durable store); missing keys are fine. */
  void delete(java.util.Collection<String> keys);

  /** Every entry (functions and secrets), tombstones included, by {@link StoredEntry#key()}. */
  Map<String, StoredEntry> loadAll();

  /** The highest epoch recorded with {@link #putEpoch}, 0 if none. */
  long epoch();

  /** Records an epoch; a lower value than the stored one is ignored. */
  void putEpoch(long epoch);

  /** Each function's idle gaps in ms, oldest first, as last written (README "Idle keep-alive"). */
  Map<String, long[]> idleGaps();

  /**
   * Writes {@code function}'s idle gaps, or deletes them when {@code gaps} is null, without waiting: the future
   * completes once the write is on disk. Soft state beside the registry, never replicated by it.
   */
  CompletableFuture<Void> putIdleGaps(String function, long @org.jspecify.annotations.Nullable [] gaps);

  @Override
  void close();

  /** A RocksDB database in {@code directory} (created when missing). */
  static StateStore rocksDb(Path directory) {
    return RocksDbStateStore.open(directory);
  }

  /** A store that lives as long as the object (tests, the all-in-one without a data directory). */
  static StateStore inMemory() {
    return new InMemoryStateStore();
  }
}
