package io.pulse.dataplane.stats;

import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.InstanceUsage;

/** {@link UsageTracker.Sample} to its wire form. */
final class UsageReports {

  private UsageReports() {}

  static InstanceUsage usage(UsageTracker.Sample sample) {
    InstanceUsage.Builder usage = InstanceUsage.newBuilder()
        .setInstanceId(sample.instanceId())
        .setFunction(sample.function())
        .setBusyMicros(sample.busyMicros())
        .setInFlight(sample.inFlight())
        .setKind(sample.emergency() == null ? InstanceKind.REGULAR : InstanceKind.EMERGENCY);
    UsageTracker.EmergencyFacts facts = sample.emergency();
    if (facts != null) {
      usage.setWorkerId(facts.workerId()).setCreatedAtMs(facts.createdAtMillis())
          .setCreationMicros(facts.creationMicros()).setEndedAtMs(facts.endedAtMillis())
          .setMemoryMib(facts.memoryMiB());
    }
    return usage.build();
  }
}
