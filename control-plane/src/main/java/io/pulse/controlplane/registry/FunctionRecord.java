package io.pulse.controlplane.registry;

import java.time.Instant;

/** A stored function: the spec plus what the registry assigned. Revisions start at 1 and grow by one per update. */
public record FunctionRecord(FunctionSpec spec, long revision, Instant createdAt, Instant updatedAt) {

  public String name() {
    return spec.name();
  }
}
