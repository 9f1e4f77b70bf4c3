package io.pulse.dataplane.expedited;

import java.util.List;

/** Picks the worker for an Emergency Instance: the first, from a rotating start, whose headroom fits. Pure. */
public final class RoundRobinPlacement {

  /**
   * One worker as the placement sees it.
   *
   * @param freeCpuMillis capacity + emergency reserve - Regular Instances - this data plane's Emergency Instances
   * @param creating Emergency Instances this data plane is creating there now
   */
  public record Candidate(String workerId, int freeCpuMillis, int freeMemoryMiB, int creating) {}

  private RoundRobinPlacement() {}

  /**
   * The index in {@code candidates} of the worker to use, or -1 when none has headroom for {@code cpuMillis} and
   * {@code memoryMiB} with fewer than {@code maxCreating} creations under way.
   *
   * @param start where the rotation stands; ties never pile onto the first worker
   */
  public static int pick(List<Candidate> candidates, int cpuMillis, int memoryMiB, int maxCreating, int start) {
    int n = candidates.size();
    for (int i = 0; i < n; i++) {
      int index = Math.floorMod(start + i, n);
      Candidate c = candidates.get(index);
      if (c.creating() < maxCreating && c.freeCpuMillis() >= cpuMillis && c.freeMemoryMiB() >= memoryMiB) {
        return index;
      }
    }
    return -1;
  }
}
