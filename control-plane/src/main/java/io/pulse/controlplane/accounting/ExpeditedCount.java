package io.pulse.controlplane.accounting;

/** Expedited requests of one function since the ledger started, and how many the metric filter counted. */
public record ExpeditedCount(long expedited, long counted) {

  public static final ExpeditedCount ZERO = new ExpeditedCount(0, 0);

  ExpeditedCount plus(ExpeditedCount other) {
    return new ExpeditedCount(expedited + other.expedited, counted + other.counted);
  }
}
