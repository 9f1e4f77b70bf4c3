package io.pulse.dataplane.expedited;

import java.util.List;

/**
 * Picks the worker for an Emergency Instance: the first, from a rotating start, whose headroom fits, preferring one
 * whose pool holds a ready sandbox of the revision (a creation there only starts it). Pure.
 */
public final class RoundRobinPlacement {

  /**
   * One worker as the placement sees it.
   *
   * @param freeCpuMillis capacity + emergency reserve - Regular Instances - this data plane's Emergency Instances
   * @param creating Emergency Instances this data plane is creating there now
   * @param readyPoolMembers sandboxes of the revision the worker's pool holds ready, as the control plane last said
   * @param creationLimit creations that may run there at once unless it is a likely pool hit (a claim only starts a
   *     sandbox): the worker's {@link CreationLimit}
   */
  public record Candidate(String workerId, int freeCpuMillis, int freeMemoryMiB, int creating, int readyPoolMembers,
      int creationLimit) {

    public Candidate(String workerId, int freeCpuMillis, int freeMemoryMiB, int creating) {
      this(workerId, freeCpuMillis, freeMemoryMiB, creating, 0);
    }

    public Candidate(String workerId, int freeCpuMillis, int freeMemoryMiB, int creating, int readyPoolMembers) {
      this(workerId, freeCpuMillis, freeMemoryMiB, creating, readyPoolMembers, Integer.MAX_VALUE);
    }

    /**
     * Likely a pool hit: more ready members than this data plane's creations under way there (which may be
     * claiming them; the count is a heartbeat old, so this is a preference, not a promise).
     */
    boolean pooled() {
      return readyPoolMembers > creating;
    }
  }

  private RoundRobinPlacement() {}

  /**
   * The index in {@code candidates} of the worker to use, or -1 when none has headroom for {@code cpuMillis} and
   * {@code memoryMiB} with fewer than {@code maxCreating} creations under way (and, unless a pool hit is likely, fewer
   * than its own {@code creationLimit}).
   *
   * @param start where the rotation stands; ties never pile onto the first worker
   */
  public static int pick(List<Candidate> candidates, int cpuMillis, int memoryMiB, int maxCreating, int start) {
    int pooled = firstFit(candidates, cpuMillis, memoryMiB, maxCreating, start, true);
    return pooled >= 0 ? pooled : firstFit(candidates, cpuMillis, memoryMiB, maxCreating, start, false);
  }

  private static int firstFit(List<Candidate> candidates, int cpuMillis, int memoryMiB, int maxCreating, int start,
      boolean pooledOnly) {
    int n = candidates.size();
    for (int i = 0; i < n; i++) {
      int index = Math.floorMod(start + i, n);
      Candidate c = candidates.get(index);
      int cap = pooledOnly ? maxCreating : Math.min(maxCreating, c.creationLimit());
      if ((!pooledOnly || c.pooled()) && c.creating() < cap && c.freeCpuMillis() >= cpuMillis
          && c.freeMemoryMiB() >= memoryMiB) {
        return index;
      }
    }
    return -1;
  }
}
