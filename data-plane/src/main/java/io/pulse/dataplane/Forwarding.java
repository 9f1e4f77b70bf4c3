package io.pulse.dataplane;

import java.util.Locale;

/** How the gateway carries a request to a Regular Instance ({@code --forwarding}). */
public enum Forwarding {
  /** Vert.x's HTTP server and client: every request. */
  VERTX,
  /**
   * The byte-level forwarder ({@code proxy.RawForwarder}) for plain HTTP/1.1 requests with a Regular slot free now, on
   * cleartext; everything else goes to the Vert.x path, unchanged (the default).
   */
  RAW;

  /** {@code vertx} or {@code raw}, in any case. */
  public static Forwarding parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "vertx" -> VERTX;
      case "raw" -> RAW;
      default -> throw new IllegalArgumentException("forwarding must be raw or vertx, was '" + value + "'");
    };
  }
}
