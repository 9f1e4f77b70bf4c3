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
 * other's check and write.
 */
final class MirrorCopy<T> {

  private final Map<String, T> copy = new ConcurrentHashMap<>();
  // Keys an event or an own write touched while the preload ran; dropped when it ends.
  private final Set<String> touched = ConcurrentHashMap.newKeySet();
  private volatile boolean preloading = true;

  /** An entry added or updated (its event, or our own write). */
  void put(String key, T value) {
    copy.compute(key, (k, old) -> {
      noteTouched(k);
      return value;
    });
  }

  /** An entry removed (its event, or our own removal). */
  void remove(String key) {
    copy.compute(key, (k, old) -> {
      noteTouched(k);
      return null;
    });
  }

  /** An entry the preload read: kept unless the key was touched since we began listening. */
  void preloaded(String key, T value) {
    copy.compute(key, (k, old) -> old != null || touched.contains(k) ? old : value);
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
