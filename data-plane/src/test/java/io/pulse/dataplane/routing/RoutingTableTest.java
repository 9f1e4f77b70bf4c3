package io.pulse.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

  private static Route route(String name, String... instanceIds) {
    List<Instance> instances = java.util.Arrays.stream(instanceIds)
        .map(id -> new Instance(id, "127.0.0.1", 8000, "w1")).toList();
    return new Route(name, 1, 2, 30, instances);
  }

  @Test
  void empty_isNotLoaded() {
    assertThat(RoutingTable.empty().loaded()).isFalse();
    assertThat(RoutingTable.empty().route("a")).isNull();
  }

  @Test
  void apply_snapshotReplacesEverythingAndLoads() {
    RoutingTable table = RoutingTable.empty()
        .apply(RouteDelta.snapshot(List.of(route("a", "a1"), route("b")), List.of(new WorkerRef("w1", "h:1"))));
    assertThat(table.loaded()).isTrue();
    assertThat(table.routes().keySet()).containsExactlyInAnyOrder("a", "b");
    assertThat(table.workers()).containsExactly(new WorkerRef("w1", "h:1"));

    RoutingTable next = table.apply(RouteDelta.snapshot(List.of(route("c")), List.of()));
    assertThat(next.routes().keySet()).containsExactly("c");
    assertThat(next.workers()).isEmpty();
    assertThat(table.routes().keySet()).containsExactlyInAnyOrder("a", "b"); // the old table is untouched
  }

  @Test
  void apply_deltaUpsertsWholeRoutesAndRemovesNames() {
    RoutingTable table = RoutingTable.empty()
        .apply(RouteDelta.snapshot(List.of(route("a", "a1"), route("b", "b1")), List.of(new WorkerRef("w", "x:1"))));
    RoutingTable next = table.apply(new RouteDelta(false, List.of(route("a", "a2", "a3")), List.of("b"), null));
    assertThat(next.route("a").instances()).extracting(Instance::id).containsExactly("a2", "a3");
    assertThat(next.route("b")).isNull();
    assertThat(next.workers()).containsExactly(new WorkerRef("w", "x:1")); // unchanged when not sent
    assertThat(next.loaded()).isTrue();
  }

  @Test
  void apply_aDeltaOfOneFunction_keepsEveryOtherRoute_andTheTableBeforeReadsAsItDid() {
    List<Route> many = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      many.add(route("f" + i, "f" + i + "-a"));
    }
    RoutingTable table = RoutingTable.empty().apply(RouteDelta.snapshot(many, List.of()));

    RoutingTable next = table.apply(new RouteDelta(false, List.of(route("f1", "f1-b")), List.of("f2"), null));

    assertThat(next.routes()).hasSize(499).doesNotContainKey("f2");
    assertThat(next.route("f1").instances()).extracting(Instance::id).containsExactly("f1-b");
    assertThat(next.route("f3")).isSameAs(table.route("f3"));
    assertThat(table.routes()).hasSize(500);
    assertThat(table.route("f1").instances()).extracting(Instance::id).containsExactly("f1-a");
    assertThat(next.routes().keySet()).containsAll(List.of("f0", "f1", "f499")).doesNotContain("f2");
  }

  @Test
  void apply_deltaBeforeSnapshotStaysUnloaded() {
    RoutingTable table = RoutingTable.empty().apply(new RouteDelta(false, List.of(route("a")), List.of(), null));
    assertThat(table.loaded()).isFalse();
  }

  @Test
  void apply_partialLoadsMergeIntoWhatIsHeldAndZeroRemoves() {
    RoutingTable table = RoutingTable.empty().apply(new RouteDelta(true, List.of(), List.of(), List.of(),
        List.of(new WorkerLoad("w1", 100, 64, 0), new WorkerLoad("w2", 200, 128, 0))));
    RoutingTable next = table.apply(new RouteDelta(false, List.of(), List.of(), null,
        List.of(new WorkerLoad("w2", 0, 0, 0), new WorkerLoad("w3", 50, 32, 0), new WorkerLoad("w4", 0, 0, 1)),
        true));
    // w4 reserves nothing (a function that asks for no resources) but creates one: not "nothing".
    assertThat(next.workerLoads()).containsOnlyKeys("w1", "w3", "w4");
    assertThat(next.workerLoads().get("w1")).isEqualTo(new WorkerLoad("w1", 100, 64, 0)); // not sent: kept
    assertThat(next.workerLoads().get("w3")).isEqualTo(new WorkerLoad("w3", 50, 32, 0));
  }

  @Test
  void apply_wholeLoadsReplaceWhatIsHeld() {
    RoutingTable table = RoutingTable.empty().apply(new RouteDelta(true, List.of(), List.of(), List.of(),
        List.of(new WorkerLoad("w1", 100, 64, 0))));
    RoutingTable next = table.apply(new RouteDelta(false, List.of(), List.of(), null,
        List.of(new WorkerLoad("w3", 50, 32, 0))));
    assertThat(next.workerLoads()).containsOnlyKeys("w3");
  }
}
