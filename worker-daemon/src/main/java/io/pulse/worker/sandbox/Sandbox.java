package io.pulse.worker.sandbox;

import io.pulse.common.net.HostPort;

/**
 * One sandbox as a runtime reports it: an immutable snapshot; a state change is a new record.
 *
 * @param endpoint where data planes reach it (the worker's advertised host and the sandbox's port)
 */
public record Sandbox(
    String instanceId,
    String function,
    long revision,
    SandboxKind kind,
    HostPort endpoint,
    long createdAtMs,
    Resources resources,
    SandboxState state) {

  public Sandbox withState(SandboxState value) {
    return new Sandbox(instanceId, function, revision, kind, endpoint, createdAtMs, resources, value);
  }

  /** True when this sandbox runs the given revision of the given function. */
  public boolean runs(String otherFunction, long otherRevision) {
    return function.equals(otherFunction) && revision == otherRevision;
  }
}
