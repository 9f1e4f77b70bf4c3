package io.pulse.dataplane.routing;

import java.util.List;

/**
 * How to serve one function: its revision, the hard slot count per instance (target concurrency), the end-to-end
 * timeout and the ready instances.
 */
public record Route(String function, long revision, int slotsPerInstance, int timeoutSeconds,
    List<Instance> instances) {

  public Route {
    if (function.isBlank()) {
      throw new IllegalArgumentException("function.name must not be empty");
    }
    if (slotsPerInstance < 1) {
      throw new IllegalArgumentException("target_concurrency of " + function + " must be >= 1, was "
          + slotsPerInstance);
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("timeout_seconds of " + function + " must be >= 1, was " + timeoutSeconds);
    }
    instances = List.copyOf(instances);
  }
}
