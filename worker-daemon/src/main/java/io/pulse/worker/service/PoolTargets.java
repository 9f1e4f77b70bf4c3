package io.pulse.worker.service;

import io.pulse.worker.sandbox.SandboxSpec;

/** Where a creation's {@code prewarm} goes: the members this worker keeps of the creation's revision. */
@FunctionalInterface
public interface PoolTargets {

  /** A worker without pools. */
  PoolTargets NONE = (spec, count) -> { };

  void target(SandboxSpec spec, int count);
}
