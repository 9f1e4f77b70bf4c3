package io.pulse.worker.image;

import java.util.regex.Pattern;

/**
 * A parsed OCI image reference: {@code [registry/]repository[:tag][@digest]}. A reference without a registry is on
 * Docker Hub ({@code docker.io}, with {@code library/} for single-component names); without a tag, {@code latest}.
 *
 * @param reference the tag, or the digest when one is given (a digest wins over a tag)
 */
public record ImageReference(String registry, String repository, String reference) {

  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
      + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

  /** Parses {@code text}; the message says what is wrong with it. */
  public static ImageReference parse(String text) {
    String rest = text.strip();
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("image reference must not be empty");
    }
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("image reference '" + text + "': digest must be sha256:<64 hex>");
      }
    }
    String registry = "docker.io";
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = "latest";
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("image reference '" + text + "': bad tag '" + tag + "'");
      }
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      throw new IllegalArgumentException("image reference '" + text + "': bad repository '" + rest
          + "' (lower-case letters, digits, separators . _ - and /)");
    }
    if (registry.equals("docker.io") && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return new ImageReference(registry, rest, digest != null ? digest : tag);
  }

  /** The host the distribution API is served from (Docker Hub's API host differs from its name). */
  public String apiHost() {
    return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
  }

  public boolean byDigest() {
    return reference.startsWith("sha256:");
  }

  /** The canonical name containerd lists ({@code registry/repository:tag} or {@code ...@digest}). */
  public String name() {
    return registry + "/" + repository + (byDigest() ? "@" : ":") + reference;
  }

  @Override
  public String toString() {
    return name();
  }
}
