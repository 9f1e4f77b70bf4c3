package io.pulse.dataplane.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Header rules of a reverse proxy (RFC 9110 section 7.6.1): what not to forward, and the X-Forwarded-* headers. */
public final class ProxyHeaders {

  /** Meaningful for one connection only; never forwarded. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
  // The sets each direction drops, built once: a request whose Connection header names nothing else (nearly all)
  // copies its headers with no set of its own.
  private static final Set<String> NOT_TO_INSTANCE = with(HOP_BY_HOP, "host", "expect");
  private static final Set<String> NOT_TO_STORE = with(HOP_BY_HOP, "host", "expect", "content-length");

  private ProxyHeaders() {}

  /**
   * Adds to {@code out} the headers to send to the instance. Host is left out (the client sets the instance's
   * authority; the original goes in X-Forwarded-Host) and so is Expect (the gateway answers 100-continue itself).
   */
  static void toInstance(MultiMap incoming, MultiMap out, @Nullable String host, @Nullable String clientAddress,
      String scheme) {
    copyEndToEnd(incoming, out, NOT_TO_INSTANCE);
    String priorFor = incoming.get("X-Forwarded-For");
    if (clientAddress != null) {
      out.set("X-Forwarded-For", priorFor == null || priorFor.isBlank() ? clientAddress
          : priorFor + ", " + clientAddress);
    }
    if (host != null) {
      out.set("X-Forwarded-Host", host);
    }
    out.set("X-Forwarded-Proto", scheme);
  }

  /**
   * The headers an async invocation keeps for its later attempts: the end-to-end ones, less what the attempt sets
   * itself (host, length, expect) and the async instructions to the gateway ({@code Pulse-*}).
   */
  public static MultiMap toStore(MultiMap incoming) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    copyEndToEnd(incoming, out, NOT_TO_STORE);
    out.names().stream().filter(name -> name.toLowerCase(Locale.ROOT).startsWith("pulse-")).toList()
        .forEach(out::remove);
    return out;
  }

  /** Adds to {@code out} the headers to send back to the client. */
  static void toClient(MultiMap fromInstance, MultiMap out) {
    copyEndToEnd(fromInstance, out, HOP_BY_HOP);
  }

  private static void copyEndToEnd(MultiMap source, MultiMap out, Set<String> drop) {
    Set<String> dropped = drop;
    if (source.contains(HttpHeaders.CONNECTION)) {
      // Headers named by Connection are hop-by-hop too.
      dropped = new HashSet<>(drop);
      for (String connection : source.getAll(HttpHeaders.CONNECTION)) {
        for (String name : connection.split(",")) {
          dropped.add(name.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    for (Map.Entry<String, String> header : source) {
      // toLowerCase returns the name itself when it is lower case already (HTTP/2, most clients): no copy.
      if (!dropped.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        out.add(header.getKey(), header.getValue());
      }
    }
  }

  private static Set<String> with(Set<String> base, String... more) {
    Set<String> all = new HashSet<>(base);
    all.addAll(List.of(more));
    return Set.copyOf(all);
  }
}
