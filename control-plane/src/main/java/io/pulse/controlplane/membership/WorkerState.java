package io.pulse.controlplane.membership;

/** What membership knows of one worker. A dead worker stays listed (as dead) until it registers again. */
public record WorkerState(WorkerInfo info, long registeredAtMillis, long lastHeartbeatMillis, boolean alive) {

  public String id() {
    return info.id();
  }
}
