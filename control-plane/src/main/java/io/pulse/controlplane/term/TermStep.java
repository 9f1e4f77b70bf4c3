package io.pulse.controlplane.term;

import java.util.List;

/** The machine's answer: the next term and the actions that lead there, in order. */
public record TermStep(Term next, List<TermAction> actions) {

  public TermStep {
    actions = List.copyOf(actions);
  }
}
