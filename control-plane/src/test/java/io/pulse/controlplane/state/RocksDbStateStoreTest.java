package io.pulse.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  void put_sealedSecret_noFileOfTheDatabaseHoldsThePlaintext() throws Exception {
    io.pulse.controlplane.secrets.SecretCipher cipher = io.pulse.controlplane.secrets.SecretCipher.ephemeral();
    String plaintext = "plaintext-p4ssw0rd-in-rocksdb";
    var sealed = cipher.seal("db", plaintext.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    store.put(new StoredSecret("db", 1, new io.pulse.controlplane.secrets.SecretRecord("db", 1,
        java.time.Instant.EPOCH, java.time.Instant.EPOCH, sealed)));
    store.close();
    store = newStore(); // reopened: the WAL replayed, the value read back from disk
    assertThat(((StoredSecret) store.loadAll().get("secret/db")).secret().sealed()).isEqualTo(sealed);
    boolean ciphertextFound = false;
    try (var files = java.nio.file.Files.walk(dir.resolve("db"))) {
      for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        // Latin-1 maps every byte to one char, so a byte sequence is found as a substring.
        String bytes = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(bytes).as(file.toString()).doesNotContain(plaintext);
        ciphertextFound |= bytes.contains(sealed.ciphertext());
      }
    }
    assertThat(ciphertextFound).as("the sealed value is on disk (the search looks at the right files)").isTrue();
  }

  @Test
  void open_whileAnotherHoldsTheLock_failsNamingTheDirectory() {
    assertThatThrownBy(this::newStore).hasMessageContaining(dir.resolve("db").toString());
  }

  @Test
  void concurrentWrites_allCompleteDurable_andEachKeysWritesLandInOrder() throws Exception {
    int writers = 8;
    int perWriter = 100;
    List<CompletableFuture<Void>> durable = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      int writer = t;
      threads.add(Thread.ofPlatform().start(() -> {
        // Each writer rewrites its own name without waiting: the highest revision must be the one that stays.
        for (int i = 1; i <= perWriter; i++) {
          durable.add(store.putAsync(StoredFunction.of(writer * 1000L + i, record("fn" + writer, i))));
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(durable).hasSize(writers * perWriter);

    store.close();
    store = newStore(); // reopened: what was acknowledged is on disk
    Map<String, StoredEntry> back = store.loadAll();
    assertThat(back).hasSize(writers);
    for (int t = 0; t < writers; t++) {
      assertThat(back.get("fn" + t)).isEqualTo(StoredFunction.of(t * 1000L + perWriter, record("fn" + t, perWriter)));
    }
  }

  @Test
  void aWriteAfterClose_failsItsCaller() {
    store.close();
    assertThatThrownBy(() -> store.putAsync(StoredFunction.of(1, record("late", 1))).join())
        .hasRootCauseMessage("the state store is closed");
    store = newStore();
  }
}
