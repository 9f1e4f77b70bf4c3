package io.pulse.controlplane.accounting;

/** What an input changed in the ledger; the adapter turns these into metrics. */
public sealed interface LedgerChange {

  InstanceKind kind();

  String function();

  /** A creation this ledger saw asked for (adopted instances are not creations). */
  record Created(InstanceKind kind, String function) implements LedgerChange {}

  /** The creation latency of an instance became known. */
  record Ready(InstanceKind kind, String function, double creationSeconds) implements LedgerChange {}

  /** An instance ended after living {@code lifetimeSeconds}. */
  record Ended(InstanceKind kind, String function, double lifetimeSeconds) implements LedgerChange {}
}
