package io.pulse.common.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * After any sequence of updates the sharded map reads as a plain map given the same updates, and every earlier version
 * still reads as it did (versions share shards, never mutate them).
 */
class ShardedMapPropertiesTest {

  /** One update: keys to put (with a value) and keys to remove. */
  record Update(Map<String, Integer> puts, List<String> removed) {}

  @Provide
  Arbitrary<List<Update>> histories() {
    Arbitrary<String> keys = Arbitraries.integers().between(0, 300).map(i -> "f" + i);
    Arbitrary<Map<String, Integer>> puts = Arbitraries.maps(keys, Arbitraries.integers()).ofMaxSize(40);
    Arbitrary<List<String>> removed = keys.list().ofMaxSize(20);
    return net.jqwik.api.Combinators.combine(puts, removed).as(Update::new).list().ofMaxSize(30);
  }

  @Property(tries = 200)
  void readsAsAPlainMap_andEveryEarlierVersionStaysAsItWas(@ForAll("histories") List<Update> history) {
    ShardedMap<Integer> map = ShardedMap.empty();
    Map<String, Integer> model = new HashMap<>();
    List<ShardedMap<Integer>> versions = new ArrayList<>();
    List<Map<String, Integer>> models = new ArrayList<>();
    for (Update update : history) {
      map = map.with(update.puts(), update.removed());
      update.removed().forEach(model::remove);
      model.putAll(update.puts());
      assertThat(map).isEqualTo(model);
      assertThat(map.size()).isEqualTo(model.size());
      for (String key : List.of("f0", "f1", "f299", "absent")) {
        assertThat(map.get(key)).isEqualTo(model.get(key));
        assertThat(map.containsKey(key)).isEqualTo(model.containsKey(key));
      }
      versions.add(map);
      models.add(Map.copyOf(model));
    }
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i)).isEqualTo(models.get(i));
    }
  }

  /**
   * A map that follows another's keys: after {@code following(live, puts)} it holds exactly the live keys, with the
   * put values and otherwise the values it had (live keys it never held are always among the puts here).
   */
  @Property(tries = 200)
  void followingAnotherMap_holdsExactlyItsKeys(@ForAll("histories") List<Update> history) {
    ShardedMap<Integer> map = ShardedMap.empty();
    Map<String, Integer> live = new HashMap<>();
    Map<String, Integer> model = new HashMap<>();
    for (Update update : history) {
      update.removed().forEach(live::remove);
      live.putAll(update.puts());
      Map<String, Integer> puts = new HashMap<>(update.puts());
      live.keySet().stream().filter(key -> !model.containsKey(key)).forEach(key -> puts.putIfAbsent(key, 0));
      model.keySet().retainAll(live.keySet());
      model.putAll(puts);

      ShardedMap<Integer> before = map;
      map = map.following(live, puts);

      assertThat(map).isEqualTo(model);
      assertThat(map.size()).isEqualTo(model.size());
      if (puts.isEmpty() && before.size() == live.size()) {
        assertThat(map).isSameAs(before);
      }
    }
  }

  /** The differences between two versions, shard by shard, are those between them as plain maps. */
  @Property(tries = 200)
  void diff_betweenVersions_isThePlainMapsDiff(@ForAll("histories") List<Update> history) {
    ShardedMap<Integer> previous = ShardedMap.empty();
    for (Update update : history) {
      ShardedMap<Integer> before = previous;
      ShardedMap<Integer> after = before.with(update.puts(), update.removed());
      Map<String, Integer> changed = new HashMap<>();
      List<String> removed = new ArrayList<>();
      ShardedMap.diff(before, after, changed::put, removed::add);
      Map<String, Integer> plainChanged = new HashMap<>();
      List<String> plainRemoved = new ArrayList<>();
      ShardedMap.diff(new HashMap<>(before), new HashMap<>(after), plainChanged::put, plainRemoved::add);

      assertThat(changed).isEqualTo(plainChanged);
      assertThat(removed).containsExactlyInAnyOrderElementsOf(plainRemoved);
      after.forEach((key, value) -> assertThat(changed.containsKey(key)).isEqualTo(!value.equals(before.get(key))));
      before.keySet().forEach(key -> assertThat(removed.contains(key)).isEqualTo(!after.containsKey(key)));
      previous = after;
    }
  }

  @Test
  void immutable_isTheShardedMapItself_orACopy() {
    ShardedMap<Integer> sharded = ShardedMap.<Integer>empty().with("a", 1);
    Map<String, Integer> plain = new HashMap<>(Map.of("a", 1));

    assertThat(ShardedMap.immutable(sharded)).isSameAs(sharded);
    Map<String, Integer> copy = ShardedMap.immutable(plain);
    plain.put("b", 2);
    assertThat(copy).isEqualTo(Map.of("a", 1));
  }

  @Test
  void anUpdate_sharesTheValuesItDoesNotTouch() {
    Map<String, Integer> many = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      many.put("f" + i, i);
    }
    ShardedMap<Integer> before = ShardedMap.copyOf(many);
    ShardedMap<Integer> after = before.with(Map.of("f1", -1), List.of("f2"));

    assertThat(after.get("f1")).isEqualTo(-1);
    assertThat(after.containsKey("f2")).isFalse();
    assertThat(after.size()).isEqualTo(999);
    assertThat(before.get("f1")).isEqualTo(1);
    assertThat(before.with(Map.of(), List.of())).isSameAs(before);
    assertThat(before.with("new", 7).without("f3")).containsEntry("new", 7).doesNotContainKey("f3").hasSize(1000);
  }
}
