package io.pulse.controlplane.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacerTest {

  private static WorkerCapacity worker(String id, int cpu, int memory, int usedCpu, int usedMemory) {
    return new WorkerCapacity(id, cpu, memory, usedCpu, usedMemory);
  }

  private record Case(String name, List<WorkerCapacity> workers, ResourceRequest request, PlacementResult expected) {}

  @Test
  void place_table() {
    ResourceRequest small = new ResourceRequest(250, 128);
    List<Case> cases = List.of(
        new Case("least allocated after placement wins",
            List.of(worker("a", 1000, 1024, 500, 512), worker("b", 1000, 1024, 0, 0)), small,
            new PlacementResult.Placed("b")),
        new Case("ties go to the smaller id",
            List.of(worker("b", 1000, 1024, 0, 0), worker("a", 1000, 1024, 0, 0)), small,
            new PlacementResult.Placed("a")),
        new Case("share, not absolute free space, ranks",
            // big has more free cpu in absolute terms but is 75 % full; tiny is empty.
            List.of(worker("big", 8000, 8192, 6000, 6144), worker("tiny", 1000, 1024, 0, 0)), small,
            new PlacementResult.Placed("tiny")),
        new Case("exact fit is feasible",
            List.of(worker("a", 1000, 1024, 750, 896)), small, new PlacementResult.Placed("a")),
        new Case("a worker short of memory is skipped",
            List.of(worker("a", 4000, 128, 0, 64), worker("b", 1000, 1024, 900, 0)),
            new ResourceRequest(100, 128), new PlacementResult.Placed("b")),
        new Case("zero request fits a full worker",
            List.of(worker("a", 1000, 1024, 1000, 1024)), new ResourceRequest(0, 0),
            new PlacementResult.Placed("a")));
    for (Case c : cases) {
      assertThat(Placer.place(c.workers(), c.request())).as(c.name()).isEqualTo(c.expected());
    }
  }

  @Test
  void place_noWorkers_saysSo() {
    assertThat(Placer.place(List.of(), new ResourceRequest(1, 1)))
        .isEqualTo(new PlacementResult.NoCapacity("no live worker"));
  }

  @Test
  void place_nothingFits_namesWhatIsNeededAndWhatTheClosestWorkersHave() {
    PlacementResult result = Placer.place(
        List.of(worker("a", 1000, 1024, 900, 0), worker("b", 1000, 1024, 0, 1000)), new ResourceRequest(200, 100));

    assertThat(result).isEqualTo(new PlacementResult.NoCapacity(
        "no worker has 200m CPU and 100 MiB of memory free: b has 1000m CPU and 24 MiB of memory,"
            + " a has 100m CPU and 1024 MiB of memory"));
  }

  @Test
  void place_onlyMemoryShort_talksOfMemoryOnly_namesThreeWorkersClosestFirst_andCountsTheRest() {
    List<WorkerCapacity> workers = List.of(worker("w-1", 8000, 2560, 0, 2360), worker("w-2", 8000, 2560, 0, 2460),
        worker("w-3", 8000, 2560, 0, 2560), worker("w-4", 8000, 2560, 0, 2600), worker("w-5", 8000, 2560, 0, 2500));

    assertThat(Placer.place(workers, new ResourceRequest(250, 512))).isEqualTo(new PlacementResult.NoCapacity(
        "no worker has 512 MiB of memory free: w-1 has 200 MiB of memory, w-2 has 100 MiB of memory,"
            + " w-5 has 60 MiB of memory (and 2 more)"));
  }

  @Test
  void place_onlyCpuShort_talksOfCpuOnly() {
    assertThat(Placer.place(List.of(worker("w-1", 1600, 8192, 1500, 0)), new ResourceRequest(250, 256)))
        .isEqualTo(new PlacementResult.NoCapacity("no worker has 250m CPU free: w-1 has 100m CPU"));
  }

  /** What a worker of {@code cores} advertises for Regular Instances: cores x overcommit, less the 20 % reserve. */
  private static WorkerCapacity advertised(String id, int cpuMillis, double overcommit, int memoryMiB) {
    int schedulable = (int) Math.round(cpuMillis * overcommit);
    return new WorkerCapacity(id, schedulable - schedulable * 20 / 100, memoryMiB - memoryMiB * 20 / 100, 0, 0);
  }

  /** Places {@code count} instances one after the other, each holding what it requested. */
  private static List<PlacementResult> placeInTurn(WorkerCapacity worker, ResourceRequest request, int count) {
    List<PlacementResult> results = new java.util.ArrayList<>();
    WorkerCapacity now = worker;
    for (int i = 0; i < count; i++) {
      PlacementResult result = Placer.place(List.of(now), request);
      results.add(result);
      if (result instanceof PlacementResult.Placed) {
        now = new WorkerCapacity(now.workerId(), now.cpuMillis(), now.memoryMiB(),
            now.allocatedCpuMillis() + request.cpuMillis(), now.allocatedMemoryMiB() + request.memoryMiB());
      }
    }
    return results;
  }

  @Test
  void aTwoCoreWorkerWithTheDefaultOvercommit_takesTenDefaultFunctions_whereStrictCpuTookSix() {
    ResourceRequest defaults = new ResourceRequest(250, 256);

    List<PlacementResult> overcommitted = placeInTurn(advertised("w-1", 2000, 4.0, 8192), defaults, 10);
    List<PlacementResult> strict = placeInTurn(advertised("w-1", 2000, 1.0, 8192), defaults, 10);

    assertThat(overcommitted).allMatch(PlacementResult.Placed.class::isInstance);
    assertThat(strict.stream().filter(PlacementResult.Placed.class::isInstance)).hasSize(6);
    assertThat(strict.get(6)).isEqualTo(new PlacementResult.NoCapacity("no worker has 250m CPU free: w-1 has 100m CPU"));
  }

  @Test
  void memoryStaysStrict_theEleventh256MiBFunctionOnA2560MiBWorker_isRefusedWithItsReason() {
    // Placement sees the 2560 MiB the worker advertises; CPU is plentiful (overcommitted).
    WorkerCapacity worker = new WorkerCapacity("w-1", 6400, 2560, 0, 0);

    List<PlacementResult> results = placeInTurn(worker, new ResourceRequest(250, 256), 11);

    assertThat(results.subList(0, 10)).allMatch(PlacementResult.Placed.class::isInstance);
    assertThat(results.get(10)).isEqualTo(
        new PlacementResult.NoCapacity("no worker has 256 MiB of memory free: w-1 has 0 MiB of memory"));
  }

  @Test
  void place_sameSnapshot_sameAnswer() {
    List<WorkerCapacity> workers = List.of(worker("c", 1000, 1000, 100, 100), worker("a", 1000, 1000, 100, 100),
        worker("b", 1000, 1000, 100, 100));

    assertThat(Placer.place(workers, new ResourceRequest(10, 10)))
        .isEqualTo(Placer.place(workers.reversed(), new ResourceRequest(10, 10)))
        .isEqualTo(new PlacementResult.Placed("a"));
  }
}
