package io.pulse.worker.sandbox;

import io.pulse.common.net.HostPort;
import org.jspecify.annotations.Nullable;

/**
 * One sandbox as a runtime reports it: an immutable snapshot; a state change is a new record.
 *
 * @param endpoint where data planes reach it (the worker's advertised host and the sandbox's port)
 * @param exit why its process ended; set when {@code state} is {@link SandboxState#EXITED} and the runtime knows
 * @param creator who created an Emergency Instance, and its lease ({@link CreatorLease#NONE} otherwise)
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
    @Nullable SandboxExit exit,
    CreatorLease creator) {

  public Sandbox {
    java.util.Objects.requireNonNull(creator, "creator");
  }

  /** A sandbox without a creator lease. */
  public Sandbox(String instanceId, String function, long revision, SandboxKind kind, HostPort endpoint,
      long createdAtMs, Resources resources, SandboxState state, @Nullable SandboxExit exit) {
    this(instanceId, function, revision, kind, endpoint, createdAtMs, resources, state, exit, CreatorLease.NONE);
  }

  /** A sandbox that has not exited. */
  public Sandbox(String instanceId, String function, long revision, SandboxKind kind, HostPort endpoint,
      long createdAtMs, Resources resources, SandboxState state) {
    this(instanceId, function, revision, kind, endpoint, createdAtMs, resources, state, null);
  }

  public Sandbox withState(SandboxState value) {
    return new Sandbox(instanceId, function, revision, kind, endpoint, createdAtMs, resources, value, exit, creator);
  }

  /** This sandbox, EXITED for the given reason. */
  public Sandbox exited(SandboxExit value) {
    return new Sandbox(instanceId, function, revision, kind, endpoint, createdAtMs, resources, SandboxState.EXITED,
        value, creator);
  }

  /** This sandbox, created by {@code value}'s creator with its lease. */
  public Sandbox withCreator(CreatorLease value) {
    return new Sandbox(instanceId, function, revision, kind, endpoint, createdAtMs, resources, state, exit, value);
  }

  /** True when this sandbox runs the given revision of the given function. */
  public boolean runs(String otherFunction, long otherRevision) {
    return function.equals(otherFunction) && revision == otherRevision;
  }
}
