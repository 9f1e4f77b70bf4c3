package io.pulse.controlplane.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MapMirror}'s local copy: entry events and this replica's own writes, and a preload of what the map held
 * before we listened, which runs beside them. An entry the preload read may since have been written or removed; a
 * key that an event or an own write touched during the preload is the newer news, so the preload leaves it alone
 * (without that, a removal that arrived while the preload read the map was undone by it). Per key, an event and the
 * preload are applied one after the other ({@link ConcurrentHashMap#compute}), so neither can slip between the
 * other's check and write. Each change is also told to a {@link Changes} listener, inside that per-key order, so
 * that a copy kept further (a replica's disk) sees a key's changes in the order the copy took them.
 */
final class MirrorCopy<T> {

  /** Told of each change of the copy, under the key's order: keep it short and never blocking. */
  @FunctionalInterface
  interface Changes<T> {
    Changes<Object> NONE = (key, value) -> {};

    /** {@code value} null: the key is gone. */
    void changed(String key, @Nullable T value);

    @SuppressWarnings("unchecked")
    static <T> Changes<T> none() {
      return (Changes<T>) NONE;
    }
  }

  private final Map<String, T> copy = new ConcurrentHashMap<>();
  private final Changes<T> changes;
  // Keys an event or an own write touched while the preload ran; dropped when it ends.
  private final Set<String> touched = ConcurrentHashMap.newKeySet();
  private volatile boolean preloading = true;

  MirrorCopy() {
    this(Changes.none());
  }

  MirrorCopy(Changes<T> changes) {
    this.changes = changes;
  }

  /** An entry added or updated (its event, or our own write). */
  void put(String key, T value) {
    copy.compute(key, (k, old) -> {
      noteTouched(k);
      changes.changed(k, value);
      return value;
    });
  }

  /** An entry removed (its event, or our own removal). */
  void remove(String key) {
    copy.compute(key, (k, old) -> {
      noteTouched(k);
      changes.changed(k, null); // also when not here: a copy kept further may hold it from before
      return null;
    });
  }

  /** An entry the preload read: kept unless the key was touched since we began listening. */
  void preloaded(String key, T value) {
    copy.compute(key, (k, old) -> {
      if (old != null || touched.contains(k)) {
        return old;
      }
      changes.changed(k, value);
      return value;
    });
  }

  /** The preload is over (done or failed): events alone keep the copy from now on. */
  void preloadEnded() {
    preloading = false;
    touched.clear();
  }

  private void noteTouched(String key) {
    if (preloading) {
      touched.add(key);
    }
  }

  @Nullable T get(String key) {
    return copy.get(key);
  }

  List<T> values() {
    return List.copyOf(copy.values());
  }
}
