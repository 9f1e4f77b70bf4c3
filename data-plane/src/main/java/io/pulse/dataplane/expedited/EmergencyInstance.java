package io.pulse.dataplane.expedited;

import io.pulse.dataplane.routing.Instance;

/**
 * One Emergency Instance this data plane created: where it serves and what it holds.
 *
 * @param createdAtMillis wall-clock time the creation was asked for
 * @param creationMicros from the CreateSandbox call to its answer
 */
public record EmergencyInstance(Instance instance, String function, long revision, Reservation reservation,
    long createdAtMillis, long creationMicros) {

  public String id() {
    return instance.id();
  }
}
