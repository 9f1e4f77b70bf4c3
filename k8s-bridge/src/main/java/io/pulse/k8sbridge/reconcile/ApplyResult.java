package io.pulse.k8sbridge.reconcile;

import java.util.List;

/**
 * How applying a plan went.
 *
 * @param applied actions that took effect
 * @param skipped actions refused for a reason the next pass may resolve (a conflict, a name held by an object that
 *     is not ours, an object gone meanwhile), each described
 */
public record ApplyResult(int applied, List<String> skipped) {

  public ApplyResult {
    skipped = List.copyOf(skipped);
  }
}
