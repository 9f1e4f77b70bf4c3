package io.pulse.controlplane.autoscale;

/** A scaling policy: one function's snapshot and the time in, a decision out. {@link Kpa} is the real one. */
@FunctionalInterface
public interface ScaleDecider {

  ScaleDecision decide(ScaleInput input, long nowMillis);
}
