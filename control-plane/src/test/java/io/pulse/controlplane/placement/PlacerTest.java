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
  void place_nothingFits_explainsWhy() {
    PlacementResult result = Placer.place(
        List.of(worker("a", 1000, 1024, 900, 0), worker("b", 1000, 1024, 0, 1000)), new ResourceRequest(200, 100));

    assertThat(result).isInstanceOf(PlacementResult.NoCapacity.class);
    assertThat(((PlacementResult.NoCapacity) result).reason())
        .contains("cpuMillis=200", "memoryMiB=100", "2 live", "1 short of cpu", "1 short of memory");
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
