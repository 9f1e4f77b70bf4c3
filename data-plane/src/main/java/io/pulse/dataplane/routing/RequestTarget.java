package io.pulse.dataplane.routing;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The function a request is for and the URI to forward to it. Two forms: {@code Host: {name}.{domain}[:port]}
 * forwards the path unchanged; {@code /fn/{name}/rest?query} forwards {@code /rest?query} ({@code /fn/name} forwards
 * {@code /}). The Host form wins when both match.
 */
public record RequestTarget(String function, String uri) {

  public static final String PATH_PREFIX = "/fn/";

  /** Tells a client that reached neither form how to name a function. */
  public static String hint(String domain) {
    return "no function named in the request: use the path /fn/{name}/... or the Host header {name}." + domain;
  }

  /**
   * Resolves a request; null when it names no function.
   *
   * @param hostHeader the Host header, possibly with a port (null when absent)
   * @param path the raw (undecoded) path
   * @param query the raw query without '?', or null
   */
  public static @Nullable RequestTarget resolve(@Nullable String hostHeader, String path, @Nullable String query,
      String domain) {
    String suffix = query == null ? "" : "?" + query;
    String fromHost = functionFromHost(hostHeader, domain);
    if (fromHost != null) {
      return new RequestTarget(fromHost, (path.isEmpty() ? "/" : path) + suffix);
    }
    if (path.startsWith(PATH_PREFIX)) {
      int end = path.indexOf('/', PATH_PREFIX.length());
      String name = end < 0 ? path.substring(PATH_PREFIX.length()) : path.substring(PATH_PREFIX.length(), end);
      if (!name.isEmpty()) {
        String rest = end < 0 ? "/" : path.substring(end);
        return new RequestTarget(name, rest + suffix);
      }
    }
    return null;
  }

  /** Read in place (no lower-cased copy of the header, no "." + domain per request: this runs for every request). */
  private static @Nullable String functionFromHost(@Nullable String hostHeader, String domain) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return null;
    }
    int end = hostEnd(hostHeader);
    if (end > 0 && hostHeader.charAt(end - 1) == '.') {
      end--; // a fully qualified name names the same host
    }
    int labelEnd = end - domain.length() - 1;
    if (labelEnd <= 0 || hostHeader.charAt(labelEnd) != '.'
        || !hostHeader.regionMatches(true, labelEnd + 1, domain, 0, domain.length())) {
      return null;
    }
    String label = hostHeader.substring(0, labelEnd);
    // Only one label: a.b.fn.localhost is not a function name.
    return label.indexOf('.') >= 0 ? null : label.toLowerCase(Locale.ROOT);
  }

  /** Where the host ends: before the port, if any. */
  private static int hostEnd(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host.length() : close + 1;
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host.length() : colon;
  }
}
