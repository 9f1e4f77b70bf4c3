package io.pulse.k8sbridge.reconcile;

import java.util.List;

/**
 * How applying a plan went.
 *
 * @param applied actions that took effect
 * @param refused actions the API server refused for one object (a name held by an object that is not ours, an invalid
 *     field, a conflict that a fresh read did not resolve), each with the server's reason
 */
public record ApplyResult(List<Action> applied, List<Refusal> refused) {

  public static final ApplyResult NOTHING = new ApplyResult(List.of(), List.of());

  public ApplyResult {
    applied = List.copyOf(applied);
    refused = List.copyOf(refused);
  }
}
