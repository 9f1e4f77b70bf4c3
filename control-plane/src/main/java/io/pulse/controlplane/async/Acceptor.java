package io.pulse.controlplane.async;

import io.pulse.controlplane.registry.FunctionRegistry;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Accepts async invocations on the leader: checks the function, the body's size, the callback URL and the overload
 * bound, then stores the invocation through the registry's writer; the future completes once it is durable on a
 * majority (a follower's registry refuses with NotLeaderException).
 */
public final class Acceptor {

  /** Largest body an async invocation may carry: it is stored and replicated whole. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final java.security.SecureRandom IDS = new java.security.SecureRandom();

  private final FunctionRegistry functions;
  private final InvocationRegistry invocations;
  private final Dispatch.Limits limits;
  private final Clock clock;
  private final Runnable accepted;

  /** @param accepted called after each acceptance (wakes the dispatcher) */
  public Acceptor(FunctionRegistry functions, InvocationRegistry invocations, Dispatch.Limits limits, Clock clock,
      Runnable accepted) {
    this.functions = functions;
    this.invocations = invocations;
    this.limits = limits;
    this.clock = clock;
    this.accepted = accepted;
  }

  public Future<Invocation> accept(AcceptRequest request) {
    if (functions.get(request.function()).isEmpty()) {
      return Future.failedFuture(new AsyncRefusal(AsyncRefusal.Kind.UNKNOWN_FUNCTION,
          "function '" + request.function() + "' not found"));
    }
    if (request.body().length > MAX_BODY_BYTES) {
      return Future.failedFuture(new AsyncRefusal(AsyncRefusal.Kind.TOO_LARGE,
          "async request body larger than " + MAX_BODY_BYTES + " bytes"));
    }
    String callback = request.callbackUrl();
    if (callback != null && !validCallback(callback)) {
      return Future.failedFuture(new AsyncRefusal(AsyncRefusal.Kind.INVALID,
          "Pulse-Callback-Url must be an absolute http:// or https:// URL"));
    }
    long pending = Dispatch.pending(invocations.invocations());
    if (pending >= limits.maxPending()) {
      return Future.failedFuture(new AsyncRefusal(AsyncRefusal.Kind.OVERLOADED,
          "too many async invocations waiting (" + pending + "); retry later"));
    }
    Invocation invocation = Invocation.accepted(newId(), request.function(), request.method(), request.uri(),
        request.headers(), Base64.getEncoder().encodeToString(request.body()), callback, clock.instant());
    return invocations.accept(invocation).onSuccess(stored -> accepted.run());
  }

  static boolean validCallback(String url) {
    try {
      URI uri = new URI(url);
      return uri.isAbsolute() && uri.getHost() != null
          && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** 128 random bits in hex: unguessable, as the id names the result. */
  private static String newId() {
    byte[] bytes = new byte[16];
    IDS.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
