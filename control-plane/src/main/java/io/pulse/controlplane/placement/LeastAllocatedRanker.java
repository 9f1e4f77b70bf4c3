package io.pulse.controlplane.placement;

import java.math.BigInteger;

/**
 * Prefers the worker that would be least allocated after taking the request: the sum of its CPU and memory shares,
 * which spreads load. Compared exactly (integers, not doubles): between two workers of the same capacity the order
 * then never depends on the request, which is what lets {@link PlacementIndex} keep each capacity class sorted once
 * instead of scoring every worker per placement.
 */
final class LeastAllocatedRanker {

  private LeastAllocatedRanker() {}

  /** Negative when {@code a} ranks before {@code b} for the request (ties: 0, for the tie-break to settle). */
  static int compare(WorkerCapacity a, WorkerCapacity b, ResourceRequest request) {
    if (a.cpuMillis() == b.cpuMillis() && a.memoryMiB() == b.memoryMiB()) {
      return Long.compareUnsigned(key(a, request), key(b, request));
    }
    // Different capacities: compare the shares' sums as fractions key / (cpu x memory), exactly.
    BigInteger left = BigInteger.valueOf(key(a, request)).and(UNSIGNED)
        .multiply(BigInteger.valueOf(capacity(b.cpuMillis())).multiply(BigInteger.valueOf(capacity(b.memoryMiB()))));
    BigInteger right = BigInteger.valueOf(key(b, request)).and(UNSIGNED)
        .multiply(BigInteger.valueOf(capacity(a.cpuMillis())).multiply(BigInteger.valueOf(capacity(a.memoryMiB()))));
    return left.compareTo(right);
  }

  /**
   * The numerator of the worker's shares after placement over the common denominator cpu x memory: {@code usedCpu x
   * memory + usedMemory x cpu}. Unsigned: each product is below 2^63, their sum below 2^64. A resource the worker
   * offers none of counts as full (share 1), whatever is asked of it. Allocations are never negative.
   */
  static long key(WorkerCapacity worker, ResourceRequest request) {
    long cpu = capacity(worker.cpuMillis());
    long memory = capacity(worker.memoryMiB());
    long usedCpu = worker.cpuMillis() <= 0 ? 1 : (long) worker.allocatedCpuMillis() + request.cpuMillis();
    long usedMemory = worker.memoryMiB() <= 0 ? 1 : (long) worker.allocatedMemoryMiB() + request.memoryMiB();
    return usedCpu * memory + usedMemory * cpu;
  }

  private static final BigInteger UNSIGNED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final ResourceRequest NOTHING = new ResourceRequest(0, 0);

  /** The request-independent part of {@link #key}: how a worker sorts among workers of its capacity. */
  static long key(WorkerCapacity worker) {
    return key(worker, NOTHING);
  }

  private static long capacity(int value) {
    return value <= 0 ? 1 : value;
  }
}
