package io.pulse.worker.sandbox;

/** A creation or deletion that did not happen, with a reason the gRPC edge maps to a status code. */
public final class SandboxException extends RuntimeException {

  /** Why; each maps to one gRPC status (see worker.proto). */
  public enum Reason {
    /** The spec cannot run here (INVALID_ARGUMENT). */
    INVALID_SPEC,
    /** The instance id is taken by another function or revision (ALREADY_EXISTS). */
    ALREADY_EXISTS,
    /** Not enough CPU, memory or ports left (RESOURCE_EXHAUSTED). */
    NO_CAPACITY,
    /** The command carries an epoch older than one already seen (FAILED_PRECONDITION). */
    STALE_EPOCH,
    /** The sandbox did not accept connections in time; nothing is left behind (DEADLINE_EXCEEDED). */
    NOT_READY_IN_TIME,
    /** The sandbox's process could not start or exited before it was ready (INTERNAL). */
    START_FAILED,
    /** Deleted while it was starting (ABORTED). */
    ABORTED,
    /** The runtime is closed or cannot work (UNAVAILABLE). */
    UNAVAILABLE,
    /** The image does not exist at its registry (NOT_FOUND; PrepareImage only, creations say INVALID_SPEC). */
    IMAGE_NOT_FOUND,
    /** The registry refused our credentials (PERMISSION_DENIED; PrepareImage only). */
    UNAUTHORIZED,
    /** This runtime cannot do that (UNIMPLEMENTED; InstanceLogs on a runtime without log files). */
    UNSUPPORTED
  }

  private final Reason reason;

  public SandboxException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SandboxException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
