package io.pulse.controlplane.placement;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why no worker takes a request, for the function's status and the log: what it needs, and what the workers closest
 * to taking it have free. CPU is in the millis workers advertise (their cores times their overcommit).
 */
final class NoFitReason {

  /** How many workers the reason names; the rest are counted. */
  static final int NAMED = 3;

  /** What the reason talks about: the resource(s) some worker lacks. */
  private enum Lack { CPU, MEMORY, BOTH }

  private NoFitReason() {}

  /** @param workers at least one, none of which fits */
  static String of(List<WorkerCapacity> workers, ResourceRequest request) {
    boolean cpuShort = workers.stream().anyMatch(w -> !Feasibility.cpuFits(w, request));
    boolean memoryShort = workers.stream().anyMatch(w -> !Feasibility.memoryFits(w, request));
    Lack lack = cpuShort && memoryShort ? Lack.BOTH : memoryShort ? Lack.MEMORY : Lack.CPU;
    String needed = amounts(lack, request.cpuMillis(), request.memoryMiB());
    // Closest first: most free of what is short, then of the other resource, then by id (same snapshot, same text).
    Function<WorkerCapacity, Integer> first = lack == Lack.MEMORY ? NoFitReason::freeMemory : NoFitReason::freeCpu;
    Function<WorkerCapacity, Integer> second = lack == Lack.MEMORY ? NoFitReason::freeCpu : NoFitReason::freeMemory;
    String named = workers.stream()
        .sorted(Comparator.comparing(first, Comparator.reverseOrder())
            .thenComparing(second, Comparator.reverseOrder()).thenComparing(WorkerCapacity::workerId))
        .limit(NAMED)
        .map(w -> w.workerId() + " has " + amounts(lack, freeCpu(w), freeMemory(w)))
        .collect(Collectors.joining(", "));
    String more = workers.size() > NAMED ? " (and " + (workers.size() - NAMED) + " more)" : "";
    return "no worker has " + needed + " free: " + named + more;
  }

  private static String amounts(Lack lack, int cpuMillis, int memoryMiB) {
    return switch (lack) {
      case CPU -> cpuMillis + "m CPU";
      case MEMORY -> memoryMiB + " MiB of memory";
      case BOTH -> cpuMillis + "m CPU and " + memoryMiB + " MiB of memory";
    };
  }

  private static int freeCpu(WorkerCapacity worker) {
    return Math.max(0, worker.freeCpuMillis());
  }

  private static int freeMemory(WorkerCapacity worker) {
    return Math.max(0, worker.freeMemoryMiB());
  }
}
