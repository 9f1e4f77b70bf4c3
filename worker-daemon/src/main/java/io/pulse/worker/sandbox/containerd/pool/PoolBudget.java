package io.pulse.worker.sandbox.containerd.pool;

/**
 * What all of one worker's pools may hold together: members (created or being created) and the memory their specs
 * reserve. A pool member holds its memory as an instance would, so the worker advertises its capacity less this.
 */
public record PoolBudget(int members, long memoryMiB) {

  public static final PoolBudget NONE = new PoolBudget(0, 0);

  public PoolBudget {
    if (members < 0) {
      throw new IllegalArgumentException("poolMembers must be >= 0, was " + members);
    }
    if (memoryMiB < 0) {
      throw new IllegalArgumentException("poolMemoryMiB must be >= 0, was " + memoryMiB);
    }
  }
}
