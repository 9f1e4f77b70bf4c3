package io.pulse.controlplane.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import io.pulse.controlplane.state.StoredEntry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Followers' confirmations that a registry entry is on their disk, counted for the writes the leader waits on.
 *
 * <p>Hazelcast's synchronous backups are not enough for "durable on a majority": a backup that does not answer in
 * time is given up on and the write still succeeds, so a leader cut off from the others (before it notices) would
 * acknowledge writes only its own disk holds. A confirmation instead travels the same way the entry did, from a
 * follower that has persisted it: a leader that cannot reach the others gets none and refuses the write.
 *
 * <p>Keys of the map: {@code KEY#SEQ@REPLICA}, expiring after a minute.
 */
final class DiskAcks implements EntryAddedListener<String, String> {

  private static final long TTL_SECONDS = 60;

  private final IMap<String, String> map;
  private final Supplier<ClusterState> state;
  private final String self;
  private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();

  DiskAcks(IMap<String, String> map, Supplier<ClusterState> state) {
    this.map = map;
    this.state = state;
    this.self = state.get().self().id();
    map.addEntryListener(this, false);
  }

  /** Starts counting the confirmations of {@code entry} from other replicas; call before sending it. */
  Pending expect(StoredEntry entry, int needed) {
    Pending waiting = new Pending(write(entry), needed);
    pending.put(waiting.write, waiting);
    return waiting;
  }

  /** Confirms, for the writer, that this replica has {@code entry} on disk. Non-blocking; the leader's own is implied. */
  void confirm(StoredEntry entry) {
    if (!state.get().isLeader()) {
      map.setAsync(write(entry) + "@" + self, "", TTL_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Override
  public void entryAdded(EntryEvent<String, String> event) {
    String key = event.getKey();
    int at = key.lastIndexOf('@');
    if (at > 0) {
      Pending waiting = pending.get(key.substring(0, at));
      if (waiting != null) {
        waiting.confirmedBy(key.substring(at + 1));
      }
    }
  }

  private static String write(StoredEntry entry) {
    return entry.key() + "#" + entry.seq();
  }

  /** The confirmations one write waits for. */
  final class Pending implements AutoCloseable {

    private final String write;
    private final int needed;
    private final Set<String> replicas = ConcurrentHashMap.newKeySet();
    private final CountDownLatch enough = new CountDownLatch(1);

    private Pending(String write, int needed) {
      this.write = write;
      this.needed = needed;
      if (needed <= 0) {
        enough.countDown();
      }
    }

    private void confirmedBy(String replica) {
      if (!replica.equals(self) && replicas.add(replica) && replicas.size() >= needed) {
        enough.countDown();
      }
    }

    /** True once enough other replicas confirmed, false if {@code nanos} passed first. */
    boolean await(long nanos) throws InterruptedException {
      return enough.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    int confirmed() {
      return replicas.size();
    }

    @Override
    public void close() {
      pending.remove(write, this);
    }
  }
}
