package io.pulse.dataplane.proxy;

import io.pulse.dataplane.routing.Instance;

/**
 * Where one exchange goes: the instance, the URI to ask it for and the end-to-end limit; {@code retried}: the request
 * already had its one extra attempt (it went to another instance after one refused it), so none follows.
 */
public record ForwardTarget(String function, Instance instance, String uri, long timeoutMillis, boolean retried) {

  public ForwardTarget {
    if (timeoutMillis < 1) {
      throw new IllegalArgumentException("timeoutMillis must be >= 1, was " + timeoutMillis);
    }
  }
}
