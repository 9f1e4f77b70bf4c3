/**
 * Knative-style concurrency autoscaling (KPA). {@link io.pulse.controlplane.autoscale.Kpa} is a pure decider: a
 * snapshot of one function ({@link io.pulse.controlplane.autoscale.ScaleInput}) plus the time in, a
 * {@link io.pulse.controlplane.autoscale.ScaleDecision} out. {@link io.pulse.controlplane.autoscale.AutoscaleRunner}
 * keeps the per-function history between decisions, feeds it from load reports and hands the result to whoever
 * creates instances; timers, logging and metrics stay in the runner.
 */
@NullMarked
package io.pulse.controlplane.autoscale;

import org.jspecify.annotations.NullMarked;
