package io.pulse.worker.service;

import io.pulse.worker.sandbox.Resources;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What this worker has promised to its sandboxes, as an immutable value: every change returns a new ledger, which the
 * owner swaps in with a compare-and-set.
 */
record CapacityLedger(Resources capacity, Map<String, Resources> reserved, Resources total) {

  CapacityLedger {
    reserved = Map.copyOf(reserved);
  }

  static CapacityLedger empty(Resources capacity) {
    return new CapacityLedger(capacity, Map.of(), Resources.NONE);
  }

  /** Why {@code request} does not fit, or null when it does. */
  @Nullable String shortfall(Resources request) {
    return shortfall(request, Resources.NONE);
  }

  /** Why {@code request} does not fit below {@code capacity - keptBack}, or null when it does. */
  @Nullable String shortfall(Resources request, Resources keptBack) {
    Resources after = total.plus(request);
    Resources limit = capacity.minus(keptBack);
    String reserve = keptBack.equals(Resources.NONE) ? "" : " (the rest is kept for Emergency Instances)";
    if (after.cpuMillis() > limit.cpuMillis()) {
      return "cpu: " + request.cpuMillis() + "m requested, " + Math.max(0, limit.cpuMillis() - total.cpuMillis())
          + "m of " + capacity.cpuMillis() + "m free" + reserve;
    }
    if (after.memoryMiB() > limit.memoryMiB()) {
      return "memory: " + request.memoryMiB() + " MiB requested, "
          + Math.max(0, limit.memoryMiB() - total.memoryMiB()) + " MiB of " + capacity.memoryMiB() + " MiB free"
          + reserve;
    }
    return null;
  }

  /** Adds a reservation without checking it fits: for sandboxes that already run (re-adopted after a restart). */
  CapacityLedger with(String instanceId, Resources request) {
    Map<String, Resources> next = new HashMap<>(reserved);
    Resources previous = next.put(instanceId, request);
    Resources base = previous == null ? total : total.minus(previous);
    return new CapacityLedger(capacity, next, base.plus(request));
  }

  CapacityLedger without(String instanceId) {
    Resources previous = reserved.get(instanceId);
    if (previous == null) {
      return this;
    }
    Map<String, Resources> next = new HashMap<>(reserved);
    next.remove(instanceId);
    return new CapacityLedger(capacity, next, total.minus(previous));
  }
}
