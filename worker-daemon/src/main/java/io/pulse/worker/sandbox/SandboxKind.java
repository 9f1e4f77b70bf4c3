package io.pulse.worker.sandbox;

/** Which track created a sandbox: the leader's autoscaler (REGULAR) or a data plane's fast path (EMERGENCY). */
public enum SandboxKind {
  REGULAR,
  EMERGENCY
}
