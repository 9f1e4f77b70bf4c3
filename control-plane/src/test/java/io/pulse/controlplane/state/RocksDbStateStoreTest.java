package io.pulse.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStateStoreTest extends StateStoreContract {

  @TempDir
  Path dir;

  @Override
  protected StateStore newStore() {
    return StateStore.rocksDb(dir.resolve("db"));
  }

  @Test
  void reopen_afterClose_keepsEntriesAndEpoch() {
    store.put(StoredFunction.of(4, record("web", 2)));
    store.put(StoredFunction.tombstone("gone", 5));
    store.putEpoch(99);
    store.close();
    store = newStore();
    assertThat(store.loadAll()).containsOnlyKeys("web", "gone");
    assertThat(store.loadAll().get("web")).isEqualTo(StoredFunction.of(4, record("web", 2)));
    assertThat(store.epoch()).isEqualTo(99);
  }

  @Test
  void open_whileAnotherHoldsTheLock_failsNamingTheDirectory() {
    assertThatThrownBy(this::newStore).hasMessageContaining(dir.resolve("db").toString());
  }
}
