package io.pulse.worker.sandbox;

/**
 * Who created an Emergency Instance and how long it lives without a renewal from its creator. The worker deletes an
 * Emergency Instance whose creator (a data plane) stopped renewing, so that one that crashed leaks nothing. Runtimes
 * keep it with the sandbox (labels, metadata) so that a restarted worker re-adopts it with its lease.
 *
 * @param creator the data plane that created the instance; empty without a lease
 * @param leaseMs how long the instance lives after its creation or its last renewal; 0 = no lease (never reaped)
 */
public record CreatorLease(String creator, long leaseMs) {

  /** No creator, no lease: Regular Instances, and Emergency Instances of data planes that name none. */
  public static final CreatorLease NONE = new CreatorLease("", 0);

  public CreatorLease {
    if (leaseMs < 0) {
      throw new IllegalArgumentException("leaseMs must be >= 0, was " + leaseMs);
    }
    if (leaseMs > 0 && creator.isBlank()) {
      throw new IllegalArgumentException("creator must be set with a lease");
    }
  }

  /** True when the instance is reaped once its lease runs out. */
  public boolean held() {
    return leaseMs > 0;
  }
}
