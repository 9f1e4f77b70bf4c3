package io.pulse.dataplane.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Header rules of a reverse proxy (RFC 9110 section 7.6.1): what not to forward, and the X-Forwarded-* headers. */
public final class ProxyHeaders {

  /** Meaningful for one connection only; never forwarded. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

  private ProxyHeaders() {}

  /**
   * The headers to send to the instance. Host is left out (the client sets the instance's authority; the original
   * goes in X-Forwarded-Host) and so is Expect (the gateway answers 100-continue itself).
   */
  static MultiMap toInstance(MultiMap incoming, @Nullable String host, @Nullable String clientAddress,
      String scheme) {
    MultiMap out = copyEndToEnd(incoming, Set.of("host", "expect"));
    String priorFor = incoming.get("X-Forwarded-For");
    if (clientAddress != null) {
      out.set("X-Forwarded-For", priorFor == null || priorFor.isBlank() ? clientAddress
          : priorFor + ", " + clientAddress);
    }
    if (host != null) {
      out.set("X-Forwarded-Host", host);
    }
    out.set("X-Forwarded-Proto", scheme);
    return out;
  }

  /**
   * The headers an async invocation keeps for its later attempts: the end-to-end ones, less what the attempt sets
   * itself (host, length, expect) and the async instructions to the gateway ({@code Pulse-*}).
   */
  public static MultiMap toStore(MultiMap incoming) {
    MultiMap out = copyEndToEnd(incoming, Set.of("host", "expect", "content-length"));
    out.names().stream().filter(name -> name.toLowerCase(Locale.ROOT).startsWith("pulse-")).toList()
        .forEach(out::remove);
    return out;
  }

  /** The headers to send back to the client. */
  static MultiMap toClient(MultiMap fromInstance) {
    return copyEndToEnd(fromInstance, Set.of());
  }

  private static MultiMap copyEndToEnd(MultiMap source, Set<String> alsoDrop) {
    Set<String> drop = new HashSet<>(HOP_BY_HOP);
    drop.addAll(alsoDrop);
    // Headers named by Connection are hop-by-hop too.
    for (String connection : source.getAll(HttpHeaders.CONNECTION)) {
      for (String name : connection.split(",")) {
        drop.add(name.trim().toLowerCase(Locale.ROOT));
      }
    }
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    source.forEach((name, value) -> {
      if (!drop.contains(name.toLowerCase(Locale.ROOT))) {
        out.add(name, value);
      }
    });
    return out;
  }
}
