package io.pulse.worker.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** sha256 digests in the OCI {@code sha256:<hex>} form, and layer chain ids. */
public final class Digests {

  private Digests() {}

  public static String sha256(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** The chain id of a stack of layers given by their diff ids (OCI image spec: chainID(n) = sha256(chain(n-1) + " " + diffID(n))). */
  public static String chainId(List<String> diffIds) {
    String chain = diffIds.getFirst();
    for (int i = 1; i < diffIds.size(); i++) {
      chain = sha256((chain + " " + diffIds.get(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return chain;
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
