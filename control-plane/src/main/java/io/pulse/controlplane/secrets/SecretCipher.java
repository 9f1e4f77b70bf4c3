package io.pulse.controlplane.secrets;

import io.pulse.controlplane.security.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over secret values, with a key ring read from a key file: one Base64 256-bit key per line ({@code #}
 * starts a comment). The first key seals; every key opens what it sealed (a sealed value names its key by id, the
 * first 8 hex characters of the key's SHA-256), which is what makes rotation possible: put a new key first, keep the
 * old one below until every secret has been written again.
 */
public final class SecretCipher {

  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** By id, the sealing key first. */
  private final Map<String, SecretKeySpec> keys;
  private final String sealingKeyId;
  private final String source;

  private SecretCipher(List<byte[]> keys, String source) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("the secrets key file " + source + " holds no key");
    }
    Map<String, SecretKeySpec> byId = new LinkedHashMap<>();
    for (byte[] key : keys) {
      byId.put(keyId(key), new SecretKeySpec(key, "AES"));
    }
    this.keys = Map.copyOf(byId);
    this.sealingKeyId = keyId(keys.getFirst());
    this.source = source;
  }

  /**
   * Blocking. The keys of {@code file}; when it does not exist, a new random key written there with mode 0600 (as the
   * API token is). Fails naming the file and line when a line is not a Base64 256-bit key.
   */
  public static SecretCipher loadOrCreate(Path file) {
    OwnerOnlyFiles.createIfAbsent(file, "# Pulse secrets key ring: the first key seals, every key opens.\n"
        + Base64.getEncoder().encodeToString(randomKey()) + "\n", "secrets key file");
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the secrets key file " + file + ": " + e.getMessage(), e);
    }
    return new SecretCipher(parse(lines, file.toString()), file.toString());
  }

  /** A random key known only to this object (no data directory: nothing outlives the process anyway). */
  public static SecretCipher ephemeral() {
    return new SecretCipher(List.of(randomKey()), "(in memory)");
  }

  static SecretCipher of(List<byte[]> keys) {
    return new SecretCipher(keys, "(given)");
  }

  static List<byte[]> parse(List<String> lines, String source) {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(line);
      } catch (IllegalArgumentException e) {
        key = new byte[0];
      }
      if (key.length != KEY_BYTES) {
        throw new IllegalArgumentException("the secrets key file " + source + " line " + (i + 1)
            + " is not a Base64 256-bit key (make one with: head -c 32 /dev/urandom | base64)");
      }
      keys.add(key);
    }
    return keys;
  }

  /** The id of the key that seals. */
  public String keyId() {
    return sealingKeyId;
  }

  /** Seals {@code value} under the first key, bound to {@code name}. */
  public SealedValue seal(String name, byte[] value) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(sealingKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(value);
      Base64.Encoder base64 = Base64.getEncoder();
      return new SealedValue(sealingKeyId, base64.encodeToString(nonce), base64.encodeToString(sealed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JDK: " + e.getMessage(), e);
    }
  }

  /**
   * The value sealed under {@code name}.
   *
   * @throws SecretKeyException when no key of this ring sealed it, or it does not authenticate (another key with the
   *     same id, a value moved to another name, corruption)
   */
  public byte[] open(String name, SealedValue sealed) {
    SecretKeySpec key = keys.get(sealed.keyId());
    if (key == null) {
      throw new SecretKeyException("secret '" + name + "' was sealed with key " + sealed.keyId()
          + ", which the secrets key file " + source + " does not hold (its keys: " + String.join(", ", keys.keySet())
          + "); every replica needs the same key file");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(
          sealed.nonce())));
      cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(Base64.getDecoder().decode(sealed.ciphertext()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SecretKeyException("secret '" + name + "' does not open with key " + sealed.keyId() + " of "
          + source + " (wrong key, or the stored value is damaged)");
    }
  }

  private static byte[] randomKey() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  private static String keyId(byte[] key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "SecretCipher[sealingKey=" + sealingKeyId + ", keys=" + keys.size() + "]";
  }

  /** A sealed value this ring cannot open. */
  public static final class SecretKeyException extends IllegalStateException {
    SecretKeyException(String message) {
      super(message);
    }
  }
}
