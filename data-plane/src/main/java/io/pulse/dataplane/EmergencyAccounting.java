package io.pulse.dataplane;

import io.pulse.dataplane.expedited.EmergencyInstance;
import io.pulse.dataplane.expedited.ExpeditedTrack;
import io.pulse.dataplane.stats.LoadTracker;

/** Hears about the life of Emergency Instances: feeds accounting and metrics, and wakes waiting requests. */
final class EmergencyAccounting implements ExpeditedTrack.Listener {

  private final LoadTracker load;
  private final GatewayMetrics metrics;
  private final Runnable wakeWaiters;

  EmergencyAccounting(LoadTracker load, GatewayMetrics metrics, Runnable wakeWaiters) {
    this.load = load;
    this.metrics = metrics;
    this.wakeWaiters = wakeWaiters;
  }

  @Override
  public void headroomFreed() {
    wakeWaiters.run();
  }

  @Override
  public void created(EmergencyInstance instance) {
    metrics.emergencyCreated(instance.function(), instance.creationMicros());
    load.usage().emergencyCreated(instance.id(), instance.function(), instance.reservation().worker().id(),
        instance.createdAtMillis(), instance.creationMicros(), instance.reservation().memoryMiB());
  }

  @Override
  public void creationFailed(String function, String workerId) {
    metrics.emergencyCreationFailed(function);
  }

  @Override
  public void disposed(EmergencyInstance instance, long endedAtMillis) {
    load.usage().emergencyEnded(instance.id(), endedAtMillis);
  }
}
