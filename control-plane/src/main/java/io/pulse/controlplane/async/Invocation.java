package io.pulse.controlplane.async;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An accepted async invocation as the registry keeps it: the request, where it stands, and its last outcome. Bodies
 * are base64 so that the record compares by value and serializes as it is.
 *
 * @param uri what the function sees: path and query
 * @param notBefore the earliest time of its next attempt (a retry's backoff)
 * @param attempts attempts begun so far (an attempt a leader failover cut short counts)
 * @param result the last attempt's outcome; null before the first ends
 */
public record Invocation(String id, String function, String method, String uri, List<Header> headers,
    String body64, @Nullable String callbackUrl, Instant acceptedAt, InvocationState state, int attempts,
    Instant notBefore, @Nullable Outcome result, @Nullable Instant finishedAt) {

  public Invocation {
    headers = List.copyOf(headers);
  }

  /** A request header kept with the invocation. */
  public record Header(String name, String value) {}

  /**
   * What one attempt gave: the function's status and body (cut to the result bound), or status 0 and why no answer
   * came (timeout, connection refused, no data plane).
   */
  public record Outcome(int status, String body64, @Nullable String error) {}

  /** Just accepted: queued for its first attempt now. */
  public static Invocation accepted(String id, String function, String method, String uri, List<Header> headers,
      String body64, @Nullable String callbackUrl, Instant now) {
    return new Invocation(id, function, method, uri, headers, body64, callbackUrl, now, InvocationState.QUEUED, 0,
        now, null, null);
  }

  public Invocation running() {
    return new Invocation(id, function, method, uri, headers, body64, callbackUrl, acceptedAt,
        InvocationState.RUNNING, attempts + 1, notBefore, result, null);
  }

  public Invocation queued(Instant retryAt, Outcome last) {
    return new Invocation(id, function, method, uri, headers, body64, callbackUrl, acceptedAt,
        InvocationState.QUEUED, attempts, retryAt, last, null);
  }

  public Invocation finished(InvocationState end, Outcome last, Instant now) {
    return new Invocation(id, function, method, uri, headers, body64, callbackUrl, acceptedAt, end, attempts,
        notBefore, last, now);
  }
}
