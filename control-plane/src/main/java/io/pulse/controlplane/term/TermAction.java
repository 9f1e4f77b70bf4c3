package io.pulse.controlplane.term;

/** What the term machine asks its adapters to do, in the order given. */
public sealed interface TermAction {

  /**
   * Raise the cluster's epoch record to {@code epoch} by compare-and-set (a majority side only) and persist it
   * locally; the outcome goes back into the machine ({@link TermRunner}), never to the verticle.
   */
  record Claim(long epoch) implements TermAction {}

  /** Start leading in {@code epoch}: a fresh scheduler whose commands carry it. */
  record Begin(long epoch) implements TermAction {}

  /** Stop leading in {@code epoch}: drop the term's soft state, leave the workers' sandboxes to the next leader. */
  record End(long epoch) implements TermAction {}

  /** A majority is in view again (start, or a healed split): exchange the registry with the cluster's copy. */
  record Merge() implements TermAction {}
}
