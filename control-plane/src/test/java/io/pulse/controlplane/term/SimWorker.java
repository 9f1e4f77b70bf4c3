package io.pulse.controlplane.term;

import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.service.EpochGuard;

/** A simulated worker: the real {@link EpochGuard} over a highest epoch kept on its "disk" across restarts. */
final class SimWorker {

  final String id;
  boolean alive = true;
  int incarnation;
  /** Durable: what the guard persisted (the real worker's data-dir file). */
  long persisted;
  EpochGuard guard = new EpochGuard(0, epoch -> persisted = epoch);

  SimWorker(String id) {
    this.id = id;
  }

  void kill() {
    alive = false;
    incarnation++;
  }

  void restart() {
    alive = true;
    incarnation++;
    guard = new EpochGuard(persisted, epoch -> persisted = epoch);
  }

  /** A command on a Regular Instance: whether the guard admits it. */
  boolean admit(long epoch) {
    return guard.check(epoch, SandboxKind.REGULAR) == null;
  }
}
