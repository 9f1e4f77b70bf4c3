package io.pulse.controlplane.accounting;

/** What an input changed in the ledger; the adapter turns these into metrics. */
public sealed interface LedgerChange {

  InstanceKind kind();

  String function();

  /**
   * A creation this ledger saw asked for (adopted instances are not creations), on {@code workerId} ("" when not
   * known): automatic pools are sized where creations land.
   */
  record Created(InstanceKind kind, String function, String workerId) implements LedgerChange {}

  /** The creation latency of an instance became known. */
  record Ready(InstanceKind kind, String function, double creationSeconds) implements LedgerChange {}

  /** An instance ended after living {@code lifetimeSeconds}. */
  record Ended(InstanceKind kind, String function, double lifetimeSeconds) implements LedgerChange {}
}
