package io.pulse.controlplane.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

  private static final byte[] VALUE = "hunter2-s3cr3t".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  @Test
  void seal_thenOpen_givesTheValueBack_andTheSealedFormHoldsNoPlaintext() {
    SecretCipher cipher = SecretCipher.ephemeral();
    SealedValue sealed = cipher.seal("db", VALUE);
    assertThat(cipher.open("db", sealed)).isEqualTo(VALUE);
    assertThat(sealed.ciphertext() + sealed.nonce()).doesNotContain("hunter2");
    assertThat(new String(Base64.getDecoder().decode(sealed.ciphertext()), StandardCharsets.ISO_8859_1))
        .doesNotContain("hunter2");
    assertThat(sealed.keyId()).isEqualTo(cipher.keyId());
    assertThat(sealed.toString()).doesNotContain(sealed.ciphertext());
  }

  @Test
  void seal_sameValueTwice_usesFreshNonces() {
    SecretCipher cipher = SecretCipher.ephemeral();
    assertThat(cipher.seal("db", VALUE).ciphertext()).isNotEqualTo(cipher.seal("db", VALUE).ciphertext());
  }

  @Test
  void open_underAnotherName_fails() {
    SecretCipher cipher = SecretCipher.ephemeral();
    SealedValue sealed = cipher.seal("db", VALUE);
    assertThatThrownBy(() -> cipher.open("other", sealed)).isInstanceOf(SecretCipher.SecretKeyException.class)
        .hasMessageContaining("'other' does not open");
  }

  @Test
  void open_withAnotherKey_failsNamingTheSecretAndBothKeys() {
    SecretCipher writer = SecretCipher.ephemeral();
    SecretCipher reader = SecretCipher.ephemeral();
    SealedValue sealed = writer.seal("db", VALUE);
    assertThatThrownBy(() -> reader.open("db", sealed)).isInstanceOf(SecretCipher.SecretKeyException.class)
        .hasMessageContaining("secret 'db' was sealed with key " + writer.keyId())
        .hasMessageContaining(reader.keyId())
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void loadOrCreate_missingFile_makesAnOwnerOnlyKeyFile_andReadsTheSameKeyAgain() throws Exception {
    Path file = dir.resolve("data").resolve("secrets.key");
    SecretCipher first = SecretCipher.loadOrCreate(file);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    SecretCipher again = SecretCipher.loadOrCreate(file);
    assertThat(again.keyId()).isEqualTo(first.keyId());
    assertThat(again.open("db", first.seal("db", VALUE))).isEqualTo(VALUE);
  }

  @Test
  void rotation_newKeyFirst_sealsWithIt_andTheOldKeyStillOpens() throws Exception {
    Path file = dir.resolve("secrets.key");
    SecretCipher old = SecretCipher.loadOrCreate(file);
    SealedValue before = old.seal("db", VALUE);
    String newKey = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'B');
    Files.writeString(file, newKey + "\n" + Files.readString(file));
    SecretCipher rotated = SecretCipher.loadOrCreate(file);
    assertThat(rotated.keyId()).isNotEqualTo(old.keyId());
    assertThat(rotated.open("db", before)).isEqualTo(VALUE);
    assertThat(rotated.seal("db", VALUE).keyId()).isEqualTo(rotated.keyId());
  }

  @Test
  void parse_notAKey_failsNamingFileAndLine() {
    assertThatThrownBy(() -> SecretCipher.parse(List.of("# comment", "", "c2hvcnQ="), "k.key"))
        .hasMessageContaining("k.key line 3 is not a Base64 256-bit key");
    assertThatThrownBy(() -> SecretCipher.of(List.of())).hasMessageContaining("holds no key");
  }
}
