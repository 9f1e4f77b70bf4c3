package io.pulse.dataplane.tracks;

import java.lang.management.ManagementFactory;

/**
 * The CPU left over on this host (0..1), smoothed; sampled off the event loops (reading it reads /proc) and read
 * lock-free by the track choice.
 */
public final class CpuHeadroom {

  private static final double WEIGHT = 0.5;

  private volatile double headroom = 1;

  public double get() {
    return headroom;
  }

  /** Folds in a measured CPU load (0..1); a negative load (not available) changes nothing. */
  public void loadMeasured(double load) {
    if (load >= 0 && load <= 1) {
      headroom = headroom + WEIGHT * ((1 - load) - headroom);
    }
  }

  /** This host's recent CPU load (0..1), or negative when the platform does not say. Blocking: reads /proc. */
  public static double systemLoad() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getCpuLoad();
    }
    return -1;
  }
}
