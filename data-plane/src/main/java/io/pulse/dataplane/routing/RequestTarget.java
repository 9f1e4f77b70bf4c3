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

  private static @Nullable String functionFromHost(@Nullable String hostHeader, String domain) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return null;
    }
    String host = stripPort(hostHeader).toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1); // a fully qualified name names the same host
    }
    String tail = "." + domain.toLowerCase(Locale.ROOT);
    if (!host.endsWith(tail)) {
      return null;
    }
    String label = host.substring(0, host.length() - tail.length());
    // Only one label: a.b.fn.localhost is not a function name.
    return label.isEmpty() || label.indexOf('.') >= 0 ? null : label;
  }

  private static String stripPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }
}
