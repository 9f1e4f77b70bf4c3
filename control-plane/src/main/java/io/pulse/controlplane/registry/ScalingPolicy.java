package io.pulse.controlplane.registry;

import java.util.Arrays;
import java.util.Optional;

/** How a function scales (PulseNet's tracks). Chosen per function, or left to the cluster default. */
public enum ScalingPolicy {
  /** Regular Instances from the autoscaler; a request that finds no free slot takes the expedited track. */
  DUAL_TRACK("dual-track"),
  /** Dirigent-like: all scaling through the autoscaler; requests queue until a Regular Instance is ready. */
  KPA("kpa"),
  /** Every request that finds no free slot takes the expedited track; the autoscaler keeps minScale only. */
  EMERGENCY_ONLY("emergency-only");

  private final String label;

  ScalingPolicy(String label) {
    this.label = label;
  }

  /** The name in JSON and on command lines: {@code dual-track}, {@code kpa}, {@code emergency-only}. */
  public String label() {
    return label;
  }

  public static Optional<ScalingPolicy> fromLabel(String label) {
    return Arrays.stream(values()).filter(p -> p.label.equals(label)).findFirst();
  }

  /** Every label, for messages. */
  public static String labels() {
    return String.join(", ", Arrays.stream(values()).map(ScalingPolicy::label).toList());
  }
}
