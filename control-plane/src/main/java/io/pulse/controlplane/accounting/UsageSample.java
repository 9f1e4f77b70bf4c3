package io.pulse.controlplane.accounting;

/**
 * One instance's usage over one data plane's report interval. The Emergency-only facts are 0 / empty for Regular
 * Instances.
 *
 * @param busyMicros time with a request in flight during the interval
 * @param createdAtMillis when the data plane asked for the Emergency Instance
 * @param creationMicros how long its creation took
 * @param endedAtMillis when it was disposed; 0 while it lives
 */
public record UsageSample(String instanceId, String function, InstanceKind kind, long busyMicros, String workerId,
    long createdAtMillis, long creationMicros, long endedAtMillis, int memoryMiB) {

  public UsageSample {
    if (instanceId.isEmpty()) {
      throw new IllegalArgumentException("usage.instance_id must not be empty");
    }
    if (busyMicros < 0) {
      throw new IllegalArgumentException("usage.busy_micros must be >= 0, was " + busyMicros);
    }
  }
}
