package io.pulse.controlplane.placement;

/** The outcome of placing one instance. */
public sealed interface PlacementResult {

  record Placed(String workerId) implements PlacementResult {}

  /** No worker can take the instance; {@code reason} says why, for logs and the operator. */
  record NoCapacity(String reason) implements PlacementResult {}
}
