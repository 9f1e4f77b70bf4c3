package io.pulse.controlplane.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's in-memory copy of a replicated map, kept from the map's entry events and preloaded off the caller's
 * thread, so that reads are local and never block: a new leader reads its own copy at once instead of waiting for
 * Hazelcast to re-own the dead leader's partitions (hundreds of milliseconds). Values are decoded once, on arrival;
 * one that does not decode is left out.
 *
 * @param <B> the value as stored in the map
 * @param <T> the value as read here
 */
final class MapMirror<B, T> {

  private static final Logger LOG = LoggerFactory.getLogger(MapMirror.class);

  private final MirrorCopy<T> copy;
  private final Function<B, @Nullable T> decode;

  MapMirror(IMap<String, B> map, Function<B, @Nullable T> decode) {
    this(map, decode, MirrorCopy.Changes.none());
  }

  /** {@code changes}: told of every change of this copy, per key in order (a copy kept on disk). */
  MapMirror(IMap<String, B> map, Function<B, @Nullable T> decode, MirrorCopy.Changes<T> changes) {
    this.copy = new MirrorCopy<>(changes);
    this.decode = decode;
    map.addEntryListener((EntryAddedListener<String, B>) event -> arrived(event.getKey(), event.getValue()), true);
    map.addEntryListener((EntryUpdatedListener<String, B>) event -> arrived(event.getKey(), event.getValue()), true);
    map.addEntryListener((EntryRemovedListener<String, B>) event -> copy.remove(event.getKey()), true);
    // What was there before we listened; reading blocks on partition owners, so not on the caller's thread.
    Thread.ofVirtual().name("pulse-mirror-" + map.getName()).start(() -> {
      try {
        map.forEach((key, value) -> {
          T decoded = decode.apply(value);
          if (decoded != null) {
            copy.preloaded(key, decoded);
          }
        });
      } catch (RuntimeException e) {
        LOG.atWarn().setMessage("replicated map not preloaded").addKeyValue("map", map.getName())
            .addKeyValue("error", e.toString()).log();
      } finally {
        copy.preloadEnded();
      }
    });
  }

  private void arrived(String key, B value) {
    T decoded = decode.apply(value);
    if (decoded != null) {
      copy.put(key, decoded);
    }
  }

  @Nullable T get(String key) {
    return copy.get(key);
  }

  List<T> values() {
    return copy.values();
  }

  /** Our own write, seen here before its event comes back. */
  void put(String key, T value) {
    copy.put(key, value);
  }

  void remove(String key) {
    copy.remove(key);
  }
}
