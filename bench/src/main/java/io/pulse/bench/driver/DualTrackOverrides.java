package io.pulse.bench.driver;

import io.pulse.common.config.Records;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's dual-track settings a bench run sets, each null where the run keeps the control plane's
 * default: one record, so that a new knob is one component here and one line where it is applied, not a parameter
 * threaded through every experiment.
 *
 * @param panic {@code --dual-track-panic}: whether dual-track functions' KPA panics
 * @param idleKeepAlive {@code --dual-track-idle-keep-alive}: the idle hold's reach, in keep-alives
 * @param holdMinColdShare {@code --dual-track-hold-min-cold-share}: the least cold-start share of a call for the hold
 * @param fleetSlack {@code --dual-track-fleet-slack}: the share of an instance's load left to the expedited track
 * @param holdBudgetMiB {@code --dual-track-hold-budget-mib}: the idle hold's memory budget, MiB for one keep-alive
 */
public record DualTrackOverrides(@Nullable Boolean panic, @Nullable Integer idleKeepAlive,
    @Nullable Double holdMinColdShare, @Nullable Double fleetSlack, @Nullable Integer holdBudgetMiB) {

  /** The control plane's defaults, all of them. */
  public static final DualTrackOverrides NONE = new DualTrackOverrides(null, null, null, null, null);

  public DualTrackOverrides withPanic(@Nullable Boolean value) {
    return Records.with(this, "panic", value);
  }

  public DualTrackOverrides withIdleKeepAlive(@Nullable Integer value) {
    return Records.with(this, "idleKeepAlive", value);
  }

  public DualTrackOverrides withHoldMinColdShare(@Nullable Double value) {
    return Records.with(this, "holdMinColdShare", value);
  }

  public DualTrackOverrides withFleetSlack(@Nullable Double value) {
    return Records.with(this, "fleetSlack", value);
  }

  public DualTrackOverrides withHoldBudgetMiB(@Nullable Integer value) {
    return Records.with(this, "holdBudgetMiB", value);
  }
}
