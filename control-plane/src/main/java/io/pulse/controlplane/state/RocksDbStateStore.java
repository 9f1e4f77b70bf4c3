package io.pulse.controlplane.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A {@link StateStore} in a RocksDB database. Keys: {@code fn/<name>} holds a function's {@link StoredFunctionCodec}
 * value, {@code secret/<name>} a secret's (sealed: the plaintext is never written), {@code drain/<worker>} a
 * worker's drain,
 * {@code meta/epoch} the highest epoch (8 bytes, big-endian), {@code idle/<name>} a function's idle gaps (8 bytes
 * each, big-endian, oldest first). Every write is synchronous (WAL fsync'd) because a
 * registration is acknowledged only once it is on disk; writes go through one {@link GroupCommit} writer, so those
 * that arrive while an fsync runs share the next one.
 */
final class RocksDbStateStore implements StateStore {

  private static final String FUNCTION_PREFIX = "fn/";
  private static final List<String> PREFIXES = List.of(FUNCTION_PREFIX, StoredSecret.KEY_PREFIX,
      StoredDrain.KEY_PREFIX, StoredInvocation.KEY_PREFIX);
  private static final byte[] EPOCH_KEY = "meta/epoch".getBytes(StandardCharsets.UTF_8);
  private static final String IDLE_GAPS_PREFIX = "idle/";

  static {
    RocksDB.loadLibrary();
  }

  /** One write of a batch. */
  private sealed interface Write {
    record Put(byte[] key, byte[] value) implements Write {}

    record Delete(byte[] key) implements Write {}
  }

  private final RocksDB db;
  private final Options options;
  private final WriteOptions syncWrites;
  private final GroupCommit<List<Write>> commits;
  private final Object epochLock = new Object();

  private RocksDbStateStore(RocksDB db, Options options, WriteOptions syncWrites) {
    this.db = db;
    this.options = options;
    this.syncWrites = syncWrites;
    this.commits = new GroupCommit<>("pulse-state-store-writer", this::writeBatch);
  }

  static RocksDbStateStore open(Path directory) {
    Options options = new Options().setCreateIfMissing(true);
    try {
      Files.createDirectories(directory);
      RocksDB db = RocksDB.open(options, directory.toString());
      return new RocksDbStateStore(db, options, new WriteOptions().setSync(true));
    } catch (RocksDBException | java.io.IOException e) {
      options.close();
      throw new IllegalStateException("cannot open the state store in " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void put(StoredEntry entry) {
    await(putAsync(entry));
  }

  @Override
  public CompletableFuture<Void> putAsync(StoredEntry entry) {
    return commits.submit(List.of(
        new Write.Put(key(entry), StoredFunctionCodec.encode(entry).getBytes(StandardCharsets.UTF_8))));
  }

  @Override
  public void delete(java.util.Collection<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    List<Write> deletes = new ArrayList<>(keys.size());
    for (String key : keys) {
      deletes.add(new Write.Delete(storeKey(key).getBytes(StandardCharsets.UTF_8)));
    }
    await(commits.submit(deletes)); // one submission: all or none of them in a batch
  }

  @Override
  public Map<String, StoredEntry> loadAll() {
    Map<String, StoredEntry> entries = new HashMap<>();
    for (String each : PREFIXES) {
      byte[] prefix = each.getBytes(StandardCharsets.UTF_8);
      try (RocksIterator it = db.newIterator()) {
        for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
          StoredEntry entry = StoredFunctionCodec.decode(new String(it.value(), StandardCharsets.UTF_8));
          entries.put(entry.key(), entry);
        }
      }
    }
    return entries;
  }

  @Override
  public long epoch() {
    try {
      byte[] value = db.get(EPOCH_KEY);
      return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read the epoch: " + e.getMessage(), e);
    }
  }

  @Override
  public void putEpoch(long epoch) {
    synchronized (epochLock) { // read-compare-write of one small key; no other I/O waits on it
      if (epoch > epoch()) {
        write(EPOCH_KEY, ByteBuffer.allocate(Long.BYTES).putLong(epoch).array());
      }
    }
  }

  @Override
  public Map<String, long[]> idleGaps() {
    Map<String, long[]> gaps = new HashMap<>();
    byte[] prefix = IDLE_GAPS_PREFIX.getBytes(StandardCharsets.UTF_8);
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        String function = new String(it.key(), prefix.length, it.key().length - prefix.length,
            StandardCharsets.UTF_8);
        ByteBuffer value = ByteBuffer.wrap(it.value());
        long[] millis = new long[value.remaining() / Long.BYTES];
        value.asLongBuffer().get(millis);
        gaps.put(function, millis);
      }
    }
    return gaps;
  }

  @Override
  public CompletableFuture<Void> putIdleGaps(String function, long @Nullable [] gaps) {
    byte[] key = (IDLE_GAPS_PREFIX + function).getBytes(StandardCharsets.UTF_8);
    if (gaps == null) {
      return commits.submit(List.of(new Write.Delete(key)));
    }
    ByteBuffer value = ByteBuffer.allocate(gaps.length * Long.BYTES);
    value.asLongBuffer().put(gaps);
    return commits.submit(List.of(new Write.Put(key, value.array())));
  }

  @Override
  public void close() {
    commits.close(); // what is queued is written first
    syncWrites.close();
    db.close();
    options.close();
  }

  private void write(byte[] key, byte[] value) {
    await(commits.submit(List.of(new Write.Put(key, value))));
  }

  /** The group-commit writer: every submission waiting, in order, in one synchronous (fsync'd) write. */
  private void writeBatch(List<List<Write>> submissions) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      for (List<Write> submission : submissions) {
        for (Write write : submission) {
          switch (write) {
            case Write.Put put -> batch.put(put.key(), put.value());
            case Write.Delete delete -> batch.delete(delete.key());
          }
        }
      }
      db.write(syncWrites, batch);
    }
  }

  /** Blocks until the write is durable; its failure as the store's. */
  private static void await(CompletableFuture<Void> durable) {
    try {
      durable.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IllegalStateException ise ? ise
          : new IllegalStateException("cannot write to the state store: " + cause.getMessage(), cause);
    }
  }

  private static byte[] key(StoredEntry entry) {
    return storeKey(entry.key()).getBytes(StandardCharsets.UTF_8);
  }

  /** A function's entry key is its bare name; every other kind's key already starts with its prefix. */
  private static String storeKey(String entryKey) {
    return entryKey.contains("/") ? entryKey : FUNCTION_PREFIX + entryKey;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
