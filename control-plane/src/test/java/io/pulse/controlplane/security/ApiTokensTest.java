package io.pulse.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

  @TempDir Path dir;

  @Test
  void loadOrCreate_absent_writesARandomTokenOwnerOnly_thenReadsItBack() throws Exception {
    Path file = dir.resolve("api-token");
    ApiTokens.Loaded made = ApiTokens.loadOrCreate(file);
    assertThat(made.created()).isTrue();
    assertThat(made.token()).hasSize(43);
    assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    ApiTokens.Loaded again = ApiTokens.loadOrCreate(file);
    assertThat(again.created()).isFalse();
    assertThat(again.token()).isEqualTo(made.token());
    assertThat(made.toString()).doesNotContain(made.token());
  }

  @Test
  void loadOrCreate_concurrentCallers_allGetTheSameToken() {
    Path file = dir.resolve("shared").resolve("api-token");
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    IntStream.range(0, 8).parallel().forEach(i -> tokens.add(ApiTokens.loadOrCreate(file).token()));
    assertThat(tokens).hasSize(1);
  }

  @Test
  void read_shortOrEmptyFile_isRefusedNamingTheFile() throws Exception {
    Path file = dir.resolve("short");
    Files.writeString(file, "abc\n");
    assertThatThrownBy(() -> ApiTokens.read(file)).hasMessageContaining(file.toString());
  }

  @Test
  void open_withoutFileOrToken_keepsTheTokenInTheDataDir() throws Exception {
    try (ApiGuard guard = ApiGuard.open(ApiSecurity.defaults(), dir, "cp-1")) {
      assertThat(guard).isNotNull();
    }
    Path file = dir.resolve("api-token");
    assertThat(file).exists();
    assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
  }

  @Test
  void fingerprint_isEightHexCharacters_andNeverTheToken() {
    assertThat(ApiTokens.fingerprint("some-token-value-123")).matches("[0-9a-f]{8}");
    assertThat(ApiTokens.fingerprint("a")).isNotEqualTo(ApiTokens.fingerprint("b"));
  }
}
