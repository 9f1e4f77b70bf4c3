package io.pulse.dataplane.proxy;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/**
 * Whether a failed attempt goes again, and where; one extra attempt per request at most, whatever the reason.
 * <ul>
 *   <li>The connection could not be made (refused, no route, connect timeout): nothing of the request went out, so
 *       it goes to another instance whatever its method. A deleted instance still in the cached routes is the usual
 *       cause.
 *   <li>Servers that close a kept-alive connection after an answer without {@code Connection: close} (busybox
 *       httpd, simple servers) race the pool: the next request can meet a connection already closing. An idempotent
 *       request (RFC 9110 §9.2.2; RFC 9112 §9.3.1 forbids retrying others automatically) goes again to the same
 *       instance on a fresh connection when nothing says the instance did anything with it: the connection had
 *       carried an earlier exchange, it closed before any answer, and none of the body had gone.
 *   <li>The pool handed out a connection that closed before the request could be written on it: nothing went out,
 *       so it goes again on a fresh connection whatever its method.
 * </ul>
 */
final class Replay {

  /** What follows a failed attempt. */
  enum Next {
    /** The failure is the answer. */
    NONE,
    /** The same instance, on a fresh connection. */
    FRESH_CONNECTION,
    /** Another instance (the caller chooses it). */
    ANOTHER_INSTANCE
  }

  private Replay() {}

  /**
   * For a failure before the head of the instance's answer arrived (once it has, the answer is under way: never).
   *
   * @param connected the attempt had a connection and the request went on it (the other case: making or taking
   *     one failed, so nothing of the request went out)
   * @param retried the request already had its extra attempt
   * @param connectionReused the failed attempt's connection had carried an earlier exchange
   * @param bodySent some of the caller's body had gone to the instance
   * @param idempotent the request's method is idempotent
   */
  static Next after(Throwable cause, boolean connected, boolean retried, boolean connectionReused,
      boolean bodySent, boolean idempotent) {
    if (retried) {
      return Next.NONE;
    }
    if (!connected) {
      if (notConnected(cause)) {
        return Next.ANOTHER_INSTANCE;
      }
      return connectionLost(cause) ? Next.FRESH_CONNECTION : Next.NONE;
    }
    return idempotent && connectionReused && staleConnection(cause, bodySent) ? Next.FRESH_CONNECTION : Next.NONE;
  }

  /**
   * Whether a failure on a kept-alive connection says the instance closes its connections: it closed before any
   * answer and before any of the body went, as a server closing after each answer does.
   */
  static boolean staleConnection(Throwable cause, boolean bodySent) {
    return !bodySent && connectionLost(cause);
  }

  /** RFC 9110 §9.2.2: the methods whose effect is the same if a request is sent once or several times. */
  static boolean idempotent(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.PUT
        || method == HttpMethod.DELETE || method == HttpMethod.OPTIONS || method == HttpMethod.TRACE;
  }

  /** No connection was made: refused, unreachable, or not accepted in time (Netty's timeout is a ConnectException). */
  static boolean notConnected(Throwable cause) {
    return cause instanceof ConnectException || cause instanceof NoRouteToHostException;
  }

  /** The connection went away under the exchange: closed, or reset while the request was being written. */
  private static boolean connectionLost(Throwable cause) {
    return cause instanceof HttpClosedException || cause instanceof IOException;
  }
}
