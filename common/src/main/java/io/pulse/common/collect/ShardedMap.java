package io.pulse.common.collect;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An immutable map split into a fixed number of immutable shards by key hash, so that the next version after a few
 * changes shares every shard they do not touch: a write of one key copies one shard (1/64 of the map), not the whole
 * map, which is what a copy-on-write map of thousands of entries allocated most under a burst of writes. Reads are a
 * hash and a lookup in one shard; iteration walks the shards. Null keys and values are refused, as by
 * {@link Map#copyOf}.
 */
public final class ShardedMap<V> extends AbstractMap<String, V> {

  /** Enough that a shard of a few thousand keys stays small, few enough that copying the array is cheap. */
  private static final int SHARDS = 64;
  private static final ShardedMap<?> EMPTY = new ShardedMap<>(emptyShards(), 0);

  private final Map<String, V>[] shards;
  private final int size;

  private ShardedMap(Map<String, V>[] shards, int size) {
    this.shards = shards;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <V> ShardedMap<V> empty() {
    return (ShardedMap<V>) EMPTY;
  }

  public static <V> ShardedMap<V> copyOf(Map<String, V> entries) {
    return ShardedMap.<V>empty().with(entries, Set.of());
  }

  /**
   * An immutable copy of {@code map}: the map itself when it is a ShardedMap (immutable already, and copying it is
   * what a holder of thousands of entries must avoid), else {@link Map#copyOf}.
   */
  @SuppressWarnings("unchecked")
  public static <V> Map<String, V> immutable(Map<String, ? extends V> map) {
    return map instanceof ShardedMap<?> sharded ? (Map<String, V>) sharded : Map.copyOf(map);
  }

  /** This map with {@code key} mapped to {@code value}. */
  public ShardedMap<V> with(String key, V value) {
    return with(Map.of(key, value), Set.of());
  }

  /** This map without {@code key}. */
  public ShardedMap<V> without(String key) {
    return with(Map.of(), Set.of(key));
  }

  /** This map with {@code removed} taken out, then {@code puts} put in; shards neither touches are shared. */
  public ShardedMap<V> with(Map<String, ? extends V> puts, Collection<String> removed) {
    if (puts.isEmpty() && removed.isEmpty()) {
      return this;
    }
    Map<String, V>[] next = shards.clone();
    @SuppressWarnings("unchecked")
    Map<String, V>[] changing = new Map[SHARDS];
    for (String key : removed) {
      int shard = shard(key);
      if (next[shard].containsKey(key)) {
        changing(next, changing, shard).remove(key);
      }
    }
    puts.forEach((key, value) -> changing(next, changing, shard(key)).put(key, value));
    int nextSize = size;
    for (int i = 0; i < SHARDS; i++) {
      if (changing[i] != null) {
        nextSize += changing[i].size() - shards[i].size();
        next[i] = Map.copyOf(changing[i]);
      }
    }
    return new ShardedMap<>(next, nextSize);
  }

  /**
   * This map with {@code puts} put in and every key that {@code live} lacks taken out, for a map that follows another
   * one's keys ({@code puts}' keys are among them): the keys to take out are looked for only when the sizes say there
   * are some.
   */
  public ShardedMap<V> following(Map<String, ?> live, Map<String, ? extends V> puts) {
    int added = 0;
    for (String key : puts.keySet()) {
      added += containsKey(key) ? 0 : 1;
    }
    List<String> gone = List.of();
    if (size + added > live.size()) {
      gone = new ArrayList<>();
      for (String key : keySet()) {
        if (!live.containsKey(key)) {
          gone.add(key);
        }
      }
    }
    return with(puts, gone);
  }

  /**
   * Walks what differs from {@code before} to {@code after}: {@code changed} gets each key {@code after} maps to a
   * value {@code before} does not hold equal, {@code removed} each key only {@code before} holds. Between two versions
   * of a sharded map only the shards they do not share are looked into (iterating a whole map of thousands of routes
   * allocates an entry object per key); other maps are compared whole.
   */
  public static <V> void diff(Map<String, V> before, Map<String, V> after, BiConsumer<String, V> changed,
      Consumer<String> removed) {
    if (before == after) {
      return;
    }
    if (before instanceof ShardedMap<V> then && after instanceof ShardedMap<V> now) {
      for (int i = 0; i < SHARDS; i++) {
        if (then.shards[i] != now.shards[i]) {
          diffWhole(then.shards[i], now.shards[i], changed, removed);
        }
      }
    } else {
      diffWhole(before, after, changed, removed);
    }
  }

  private static <V> void diffWhole(Map<String, V> before, Map<String, V> after, BiConsumer<String, V> changed,
      Consumer<String> removed) {
    after.forEach((key, value) -> {
      if (!value.equals(before.get(key))) {
        changed.accept(key, value);
      }
    });
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        removed.accept(key);
      }
    }
  }

  private static <V> Map<String, V> changing(Map<String, V>[] next, Map<String, V>[] changing, int shard) {
    if (changing[shard] == null) {
      changing[shard] = new HashMap<>(next[shard]);
    }
    return changing[shard];
  }

  @Override
  public @Nullable V get(Object key) {
    return key instanceof String name ? shards[shard(name)].get(name) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String name && shards[shard(name)].containsKey(name);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, V>> iterator() {
        return new Iterator<>() {
          private int shard;
          private Iterator<Entry<String, V>> current = shards[0].entrySet().iterator();

          @Override
          public boolean hasNext() {
            while (!current.hasNext() && shard < SHARDS - 1) {
              current = shards[++shard].entrySet().iterator();
            }
            return current.hasNext();
          }

          @Override
          public Entry<String, V> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return current.next();
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  private static int shard(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (SHARDS - 1);
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V>[] emptyShards() {
    Map<String, V>[] shards = new Map[SHARDS];
    java.util.Arrays.fill(shards, Map.of());
    return shards;
  }
}
