package io.pulse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.instances.InstanceState;
import io.pulse.controlplane.placement.ResourceRequest;
import io.pulse.controlplane.routes.RouteInstance;
import io.pulse.controlplane.routes.WorkerLoad;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The incremental publish agrees with a rebuild from every instance after any history of changes, however the
 * publishes are spread over it: each publish rebuilds only the functions changed since the one before.
 */
class PublishIndexPropertiesTest {

  /** put (or replace) instance {@code id}, or remove it; publish after this step or not. */
  record Op(boolean remove, int id, int function, int worker, int state, int size, boolean publish) {}

  @Provide
  Arbitrary<List<Op>> histories() {
    return Combinators.combine(Arbitraries.of(false, false, true), Arbitraries.integers().between(0, 11),
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3), Arbitraries.of(true, false, false))
        .as(Op::new).list().ofMaxSize(120);
  }

  @Property(tries = 300)
  void incrementalPublish_equalsAFullRebuild(@ForAll("histories") List<Op> history) {
    Map<String, Instance> table = new LinkedHashMap<>();
    Set<String> changed = new HashSet<>();
    PublishIndex index = new PublishIndex();
    for (Op op : history) {
      String id = "f" + op.function() + "-i" + op.id(); // an instance id names its function, as the lifecycle's do
      Instance old = table.remove(id);
      if (old != null) {
        changed.add(old.function());
      }
      if (!op.remove()) {
        Instance instance = instance(id, "f" + op.function(), "w" + op.worker(), op.state(), op.size());
        table.put(id, instance);
        changed.add(instance.function());
      }
      if (op.publish()) {
        index.update(Set.copyOf(changed), f -> ofFunction(table, f));
        changed.clear();
        assertAgrees(index, List.copyOf(table.values()));
      }
    }
    index.update(Set.copyOf(changed), f -> ofFunction(table, f));
    assertAgrees(index, List.copyOf(table.values()));
  }

  private static void assertAgrees(PublishIndex index, List<Instance> all) {
    ClusterSnapshot rebuilt = ClusterSnapshot.of(all, List.of(), "r", 1, Map.of());
    assertThat(index.views()).isEqualTo(rebuilt.instances());
    Map<String, WorkerLoad> loads = new HashMap<>();
    Map<String, List<RouteInstance>> ready = new HashMap<>();
    for (Instance instance : all) {
      int creating = instance.state() == InstanceState.PENDING ? 1 : 0;
      loads.merge(instance.workerId(),
          new WorkerLoad(instance.resources().cpuMillis(), instance.resources().memoryMiB(), creating), (a, b) ->
          new WorkerLoad(a.cpuMillis() + b.cpuMillis(), a.memoryMiB() + b.memoryMiB(), a.creating() + b.creating()));
      if (instance.state() == InstanceState.READY && instance.endpoint() != null) {
        ready.computeIfAbsent(instance.function(), k -> new ArrayList<>())
            .add(new RouteInstance(instance.id(), instance.endpoint(), instance.workerId()));
      }
    }
    assertThat(index.allocations().loads()).isEqualTo(loads)
        .isSameAs(index.allocations().loads()); // kept, not rebuilt, while nothing changed
    for (int f = 0; f < 4; f++) {
      assertThat(index.ready("f" + f)).isEqualTo(ready.getOrDefault("f" + f, List.of()));
    }
    for (String worker : List.of("w0", "w1", "w2")) {
      long count = all.stream().filter(i -> i.workerId().equals(worker)).count();
      assertThat(index.allocations().of(worker).instances()).isEqualTo((int) count);
    }
  }

  private static List<Instance> ofFunction(Map<String, Instance> table, String function) {
    return table.values().stream().filter(i -> i.function().equals(function)).toList();
  }

  private static Instance instance(String id, String function, String worker, int state, int size) {
    InstanceState s = InstanceState.values()[state % InstanceState.values().length];
    HostPort endpoint = s == InstanceState.PENDING ? null : new HostPort("10.0.0." + id.length(), 8000 + size);
    return new Instance(id, function, 1, worker, new ResourceRequest(100 * (size + 1), 64 * size), s, endpoint,
        1_000, s == InstanceState.PENDING ? 0 : 1_100 + size, state == 3);
  }
}
