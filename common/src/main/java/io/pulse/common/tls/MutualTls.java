package io.pulse.common.tls;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Mutual TLS between components: this component's certificate and key, and the CA that signed every component's
 * certificate. Servers require a client certificate signed by the CA; clients present theirs and verify the server's
 * against the CA (and its host name or IP address against the certificate's subject alternative names).
 *
 * @param identity this component's certificate and key
 * @param ca the CA certificate(s), PEM
 */
public record MutualTls(PemFiles identity, Path ca) {

  /** All three or none (null); {@code --grpc-tls-cert}, {@code --grpc-tls-key}, {@code --grpc-tls-ca} in errors. */
  public static @Nullable MutualTls of(@Nullable Path cert, @Nullable Path key, @Nullable Path ca) {
    if (cert == null && key == null && ca == null) {
      return null;
    }
    if (cert == null || key == null || ca == null) {
      throw new IllegalArgumentException("--grpc-tls-cert, --grpc-tls-key and --grpc-tls-ca go together (all three"
          + " or none); missing: " + String.join(", ", missing(cert, key, ca)));
    }
    PemFiles.readable("--grpc-tls-ca", ca);
    return new MutualTls(new PemFiles(cert, key).requireReadable("--grpc-tls-cert", "--grpc-tls-key"), ca);
  }

  private static java.util.List<String> missing(@Nullable Path cert, @Nullable Path key, @Nullable Path ca) {
    java.util.List<String> names = new java.util.ArrayList<>();
    if (cert == null) {
      names.add("--grpc-tls-cert");
    }
    if (key == null) {
      names.add("--grpc-tls-key");
    }
    if (ca == null) {
      names.add("--grpc-tls-ca");
    }
    return names;
  }
}
