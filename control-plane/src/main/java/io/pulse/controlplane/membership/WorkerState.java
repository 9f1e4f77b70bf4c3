package io.pulse.controlplane.membership;

/**
 * What membership knows of one worker. A dead worker stays listed (as dead) until it registers again.
 *
 * @param draining an operator asked to empty it (before maintenance): nothing new is placed there and its Regular
 *     Instances move elsewhere; it stays draining until resumed, across its own re-registrations
 */
public record WorkerState(WorkerInfo info, long registeredAtMillis, long lastHeartbeatMillis, boolean alive,
    boolean draining) {

  public WorkerState(WorkerInfo info, long registeredAtMillis, long lastHeartbeatMillis, boolean alive) {
    this(info, registeredAtMillis, lastHeartbeatMillis, alive, false);
  }

  public String id() {
    return info.id();
  }

  /** May receive new instances: alive and not draining. */
  public boolean schedulable() {
    return alive && !draining;
  }

  WorkerState withDraining(boolean value) {
    return new WorkerState(info, registeredAtMillis, lastHeartbeatMillis, alive, value);
  }
}
