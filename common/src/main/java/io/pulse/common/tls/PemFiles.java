package io.pulse.common.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A certificate chain and its private key, both PEM files (the key PKCS#8, {@code BEGIN PRIVATE KEY}, or PKCS#1).
 *
 * @param cert the certificate, then any intermediates
 * @param key the private key of the first certificate
 */
public record PemFiles(Path cert, Path key) {

  /**
   * Both or neither: null when both are null, else both must be given. {@code certFlag} and {@code keyFlag} name the
   * options in the error.
   */
  public static @Nullable PemFiles of(@Nullable Path cert, @Nullable Path key, String certFlag, String keyFlag) {
    if (cert == null && key == null) {
      return null;
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException(certFlag + " and " + keyFlag + " go together; only "
          + (cert == null ? keyFlag : certFlag) + " was given");
    }
    return new PemFiles(cert, key).requireReadable(certFlag, keyFlag);
  }

  /** Fails naming the option when a file is missing or unreadable (at start, not at the first handshake). */
  public PemFiles requireReadable(String certFlag, String keyFlag) {
    readable(certFlag, cert);
    readable(keyFlag, key);
    return this;
  }

  static void readable(String flag, Path file) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(flag + ": cannot read " + file);
    }
  }
}
