package io.pulse.worker.sandbox;

import io.pulse.common.net.HostPort;
import org.jspecify.annotations.Nullable;

/**
 * One sandbox as a runtime reports it: an immutable snapshot; a state change is a new record.
 *
 * @param endpoint where data planes reach it (the worker's advertised host and the sandbox's port)
 * @param exit why its process ended; set when {@code state} is {@link SandboxState#EXITED} and the runtime knows
 */
public record Sandbox(
    String instanceId,
    String function,
    long revision,
    SandboxKind kind,
    HostPort endpoint,
    long createdAtMs,
    Resources resources,
    SandboxState state,
    @Nullable SandboxExit exit) {

  /** A sandbox that has not exited. */
  public Sandbox(String instanceId, String function, long revision, SandboxKind kind, HostPort endpoint,
      long createdAtMs, Resources resources, SandboxState state) {
    this(instanceId, function, revision, kind, endpoint, createdAtMs, resources, state, null);
  }

  public Sandbox withState(SandboxState value) {
    return new Sandbox(instanceId, function, revision, kind, endpoint, createdAtMs, resources, value, exit);
  }

  /** This sandbox, EXITED for the given reason. */
  public Sandbox exited(SandboxExit value) {
    return new Sandbox(instanceId, function, revision, kind, endpoint, createdAtMs, resources, SandboxState.EXITED,
        value);
  }

  /** True when this sandbox runs the given revision of the given function. */
  public boolean runs(String otherFunction, long otherRevision) {
    return function.equals(otherFunction) && revision == otherRevision;
  }
}
