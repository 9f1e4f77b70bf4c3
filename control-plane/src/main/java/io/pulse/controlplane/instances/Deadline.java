package io.pulse.controlplane.instances;

/** What the lifecycle waits for; each is a point in time in its {@link Deadlines}, none a timer of its own. */
sealed interface Deadline {

  /** A function backing off after a failed creation (or no room) may create again. */
  record Retry(String function) implements Deadline {}

  /** A draining instance is looked at: deleted if no request runs on it, or once its bound passed. */
  record DrainCheck(String instanceId) implements Deadline {}

  /** A removed id is forgotten: a stale listing may no longer bring it back. */
  record Tombstone(String instanceId) implements Deadline {}
}
