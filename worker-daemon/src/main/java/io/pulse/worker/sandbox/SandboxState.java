package io.pulse.worker.sandbox;

/** Life of a sandbox as the worker reports it. */
public enum SandboxState {
  /** Created, not yet accepting connections. */
  STARTING,
  /** Accepts connections on its endpoint. */
  READY,
  /** Its process ended on its own; reported until somebody deletes it. */
  EXITED
}
