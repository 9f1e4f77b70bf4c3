package io.pulse.controlplane.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Bearer tokens: making them, storing them owner-only, reading them back, and naming them without revealing them. */
public final class ApiTokens {

  /** Shortest token accepted from a file or a flag. */
  public static final int MIN_LENGTH = 16;

  private static final Pattern VISIBLE = Pattern.compile("[\\x21-\\x7e]+");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {}

  /** 256 random bits, URL-safe Base64 (43 characters). */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static boolean wellFormed(String token) {
    return token.length() >= MIN_LENGTH && VISIBLE.matcher(token).matches();
  }

  /** What the audit log shows of a token: the first 8 hex characters of its SHA-256. */
  public static String fingerprint(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Whether {@code presented} is {@code expected}, in time independent of where they differ. */
  static boolean matches(String expected, String presented) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The token of a file and whether this call made the file. */
  public record Loaded(String token, boolean created) {
    @Override
    public String toString() {
      return "Loaded[created=" + created + "]";
    }
  }

  /**
   * Blocking. The first line of {@code file}; when the file does not exist, a new random token written there with
   * mode 0600 (its directory, when made here, 0700). Concurrent callers (replicas starting together over one file)
   * all end with the same token: the file appears at once, complete, or not at all.
   */
  public static Loaded loadOrCreate(Path file) {
    String fresh = generate();
    boolean created = OwnerOnlyFiles.createIfAbsent(file, fresh + "\n", "API token file");
    return created ? new Loaded(fresh, true) : new Loaded(read(file), false);
  }

  /** Blocking. The first line of {@code file}, trimmed; fails naming the file when it is empty or malformed. */
  public static String read(Path file) {
    String token;
    try {
      token = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API token file " + file + ": " + e.getMessage(), e);
    }
    if (!wellFormed(token)) {
      throw new IllegalArgumentException("the API token file " + file + " must hold a token of at least "
          + MIN_LENGTH + " visible ASCII characters on its first line");
    }
    return token;
  }
}
