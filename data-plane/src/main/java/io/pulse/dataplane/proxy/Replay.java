package io.pulse.dataplane.proxy;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;

/**
 * Whether a failed attempt goes again, once, on a fresh connection. Servers that close a kept-alive connection after
 * an answer without {@code Connection: close} (busybox httpd, simple servers) race the pool: the next request can
 * meet a connection already closing. Such a request is sent again when nothing says the instance did anything with
 * it: the connection had carried an earlier exchange, it closed before any answer, and none of the body had gone.
 */
final class Replay {

  private Replay() {}

  /**
   * For a failure before the head of the instance's answer arrived (once it has, the answer is under way: never).
   *
   * @param firstAttempt the failure is the first attempt's (a replay is never replayed)
   * @param connectionReused the failed attempt's connection had carried an earlier exchange
   * @param bodySent some of the caller's body had gone to the instance
   */
  static boolean allowed(Throwable cause, boolean firstAttempt, boolean connectionReused, boolean bodySent) {
    return firstAttempt && connectionReused && !bodySent && connectionLost(cause);
  }

  /** The connection went away under the exchange: closed, or reset while the request was being written. */
  private static boolean connectionLost(Throwable cause) {
    return cause instanceof HttpClosedException || cause instanceof IOException;
  }
}
