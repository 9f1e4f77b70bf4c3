package io.pulse.k8sbridge.reconcile;

import java.util.List;

/** What one reconciliation pass writes, in order. An empty plan means the cluster already matches. */
public record Plan(List<Action> actions) {

  public static final Plan NOTHING = new Plan(List.of());

  public Plan {
    actions = List.copyOf(actions);
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }

  public long count(Class<? extends Action> type) {
    return actions.stream().filter(type::isInstance).count();
  }
}
