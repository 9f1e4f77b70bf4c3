package io.pulse.k8sbridge.resources;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns Pulse ids into valid Kubernetes names and label values. Too long a value keeps a prefix and gets a short
 * hash of the whole, so that distinct ids stay distinct.
 */
public final class Names {

  private static final int LABEL_MAX = 63;

  private Names() {}

  /** A DNS-1123 label (lower-case alphanumerics and '-', alphanumeric at both ends, at most 63). */
  public static String dnsLabel(String id) {
    String cleaned = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    cleaned = trimDashes(cleaned);
    if (cleaned.isEmpty()) {
      cleaned = "x" + hash(id);
    }
    return shorten(cleaned, id, LABEL_MAX);
  }

  /** A DNS-1035 label (like {@link #dnsLabel} but starting with a letter): Service names. */
  public static String dns1035Label(String id) {
    String label = dnsLabel(id);
    return Character.isLetter(label.charAt(0)) ? label : shorten("fn-" + label, id, LABEL_MAX);
  }

  /** A label value: at most 63 of alphanumerics, '-', '_', '.', alphanumeric at both ends (empty allowed). */
  public static String labelValue(String value) {
    String cleaned = value.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    return shorten(cleaned, value, LABEL_MAX);
  }

  private static String shorten(String cleaned, String original, int max) {
    if (cleaned.length() <= max) {
      return cleaned;
    }
    String suffix = hash(original);
    return trimDashes(cleaned.substring(0, max - suffix.length() - 1)) + "-" + suffix;
  }

  private static String trimDashes(String s) {
    return s.replaceAll("^[-._]+|[-._]+$", "");
  }

  private static String hash(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing", e);
    }
  }
}
