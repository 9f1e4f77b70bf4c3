package io.pulse.dataplane.proxy;

import io.vertx.core.http.HttpClosedException;
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
 *       httpd, simple servers) race the pool: the next request can meet a connection already closing. Such a request
 *       goes again to the same instance on a fresh connection when nothing says the instance did anything with it:
 *       the connection had carried an earlier exchange, it closed before any answer, and none of the body had gone.
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
   * @param connected the attempt had a connection (a failure to make one is the other case)
   * @param retried the request already had its extra attempt
   * @param connectionReused the failed attempt's connection had carried an earlier exchange
   * @param bodySent some of the caller's body had gone to the instance
   */
  static Next after(Throwable cause, boolean connected, boolean retried, boolean connectionReused,
      boolean bodySent) {
    if (retried) {
      return Next.NONE;
    }
    if (!connected) {
      return notConnected(cause) ? Next.ANOTHER_INSTANCE : Next.NONE;
    }
    return connectionReused && !bodySent && connectionLost(cause) ? Next.FRESH_CONNECTION : Next.NONE;
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
