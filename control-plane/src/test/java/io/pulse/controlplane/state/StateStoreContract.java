package io.pulse.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.api.json.FunctionSpecParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same test bodies against every {@link StateStore}; subclasses say how to make one. */
abstract class StateStoreContract {

  protected StateStore store;

  protected abstract StateStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static FunctionRecord record(String name, long revision) {
    JsonObject spec = new JsonObject().put("name", name).put("command", new JsonArray().add("sleep").add("1"))
        .put("env", new JsonObject().put("K", "v"));
    return new FunctionRecord(FunctionSpecParser.parse(spec), revision, Instant.ofEpochMilli(1_000),
        Instant.ofEpochMilli(2_000 + revision));
  }

  @Test
  void loadAll_emptyStore_isEmpty() {
    assertThat(store.loadAll()).isEmpty();
    assertThat(store.epoch()).isZero();
  }

  @Test
  void idleGaps_areKeptBesideTheEntries_underTheFunctionsName_andDeletedWithNull() {
    StoredFunction web = StoredFunction.of(1, record("web", 1));
    store.put(web);
    store.putIdleGaps("web", new long[] {90_000, 110_000}).join();
    store.putIdleGaps("api", new long[] {7_000}).join();

    assertThat(store.loadAll()).as("no entry of the registry").containsExactlyEntriesOf(java.util.Map.of("web", web));
    assertThat(store.idleGaps()).containsOnlyKeys("web", "api");
    assertThat(store.idleGaps().get("web")).containsExactly(90_000, 110_000);

    store.putIdleGaps("web", new long[] {90_000, 110_000, 140_000}).join();
    store.putIdleGaps("api", null).join();
    assertThat(store.idleGaps()).containsOnlyKeys("web");
    assertThat(store.idleGaps().get("web")).containsExactly(90_000, 110_000, 140_000);
  }

  @Test
  void put_thenLoadAll_givesEntryBackEqual() {
    StoredFunction entry = StoredFunction.of(7, record("web", 3));
    store.put(entry);
    assertThat(store.loadAll()).containsExactlyEntriesOf(java.util.Map.of("web", entry));
  }

  static StoredSecret secret(String name, long seq) {
    return new StoredSecret(name, seq, new io.pulse.controlplane.secrets.SecretRecord(name, seq,
        Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(2_000),
        new io.pulse.controlplane.secrets.SealedValue("k1", "bm9uY2U=", "Y2lwaGVy")));
  }

  @Test
  void put_secretBesideAFunctionOfTheSameName_bothComeBackUnderTheirKeys() {
    StoredFunction function = StoredFunction.of(1, record("web", 1));
    StoredSecret live = secret("web", 2);
    StoredSecret gone = new StoredSecret("old", 3, null);
    store.put(function);
    store.put(live);
    store.put(gone);
    assertThat(store.loadAll()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("web", function,
        "secret/web", live, "secret/old", gone));
  }

  @Test
  void put_drains_comeBackUnderTheirKeys_resumesIncluded() {
    StoredDrain drained = new StoredDrain("w-1", 4, true);
    StoredDrain resumed = new StoredDrain("w-2", 5, false);
    store.put(StoredFunction.of(1, record("w-1", 1)));
    store.put(drained);
    store.put(resumed);
    assertThat(store.loadAll()).containsEntry("drain/w-1", drained).containsEntry("drain/w-2", resumed)
        .containsKey("w-1").hasSize(3);
  }

  @Test
  void put_sameName_replacesEntry() {
    store.put(StoredFunction.of(1, record("web", 1)));
    store.put(StoredFunction.of(2, record("web", 2)));
    assertThat(((StoredFunction) store.loadAll().get("web")).function().revision()).isEqualTo(2);
  }

  @Test
  void put_tombstone_isKeptAsDeleted() {
    store.put(StoredFunction.of(1, record("web", 1)));
    store.put(StoredFunction.tombstone("web", 2));
    StoredEntry loaded = store.loadAll().get("web");
    assertThat(loaded.deleted()).isTrue();
    assertThat(loaded.seq()).isEqualTo(2);
  }

  @Test
  void loadAll_manyNames_returnsEveryOne() {
    for (int i = 0; i < 50; i++) {
      store.put(StoredFunction.of(i + 1, record("fn-" + i, 1)));
    }
    assertThat(store.loadAll()).hasSize(50);
  }

  @Test
  void putEpoch_lowerValue_isIgnored() {
    store.putEpoch(10);
    store.putEpoch(5);
    assertThat(store.epoch()).isEqualTo(10);
    store.putEpoch(11);
    assertThat(store.epoch()).isEqualTo(11);
  }

  @Test
  void delete_removesOnlyTheGivenKeys_andIgnoresMissingOnes() {
    StoredFunction function = StoredFunction.of(1, record("web", 1));
    StoredInvocation gone = StoredInvocation.tombstone("abc", 2, Instant.ofEpochMilli(5_000));
    StoredInvocation kept = StoredInvocation.tombstone("def", 3, Instant.ofEpochMilli(6_000));
    store.put(function);
    store.put(gone);
    store.put(kept);
    store.delete(java.util.List.of(gone.key(), "invocation/never-there"));
    assertThat(store.loadAll()).containsOnlyKeys("web", kept.key());
    assertThat(store.loadAll().get(kept.key())).isEqualTo(kept);
  }
}
