package io.pulse.controlplane.registry;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Syntax of an OCI image reference: {@code [host[:port]/]path[:tag][@digest]}, following the grammar the container
 * registries share. Only the syntax is checked here; whether the image exists is the worker's business at pull time.
 */
public final class ImageReference {

  /** Registries reject repository names longer than this (host and path together). */
  static final int MAX_NAME_LENGTH = 255;

  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern DOMAIN_NAME =
      Pattern.compile("(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*");
  private static final Pattern IPV6_HOST = Pattern.compile("\\[[0-9a-fA-F:.]+\\]");
  private static final Pattern PORT = Pattern.compile("[0-9]+");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");

  private ImageReference() {}

  public static boolean isValid(String reference) {
    String rest = reference;
    int at = rest.indexOf('@');
    if (at >= 0) {
      if (!DIGEST.matcher(rest.substring(at + 1)).matches()) {
        return false;
      }
      rest = rest.substring(0, at);
    }
    // A ':' after the last '/' starts the tag; one before it belongs to the registry's port.
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      if (!TAG.matcher(rest.substring(colon + 1)).matches()) {
        return false;
      }
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty() || rest.length() > MAX_NAME_LENGTH) {
      return false;
    }
    List<String> components = List.of(rest.split("/", -1));
    int first = 0;
    if (components.size() > 1 && looksLikeRegistry(components.getFirst())) {
      if (!isHostPort(components.getFirst())) {
        return false;
      }
      first = 1;
    }
    return components.subList(first, components.size()).stream()
        .allMatch(component -> PATH_COMPONENT.matcher(component).matches());
  }

  /** The convention every container tool applies: a first component with '.' or ':', or localhost, is a registry. */
  private static boolean looksLikeRegistry(String component) {
    return component.contains(".") || component.contains(":") || component.equals("localhost");
  }

  private static boolean isHostPort(String component) {
    String host = component;
    int colon = component.lastIndexOf(':');
    if (colon >= 0 && colon > component.lastIndexOf(']')) {
      if (!PORT.matcher(component.substring(colon + 1)).matches()) {
        return false;
      }
      host = component.substring(0, colon);
    }
    return DOMAIN_NAME.matcher(host).matches() || IPV6_HOST.matcher(host).matches();
  }
}
