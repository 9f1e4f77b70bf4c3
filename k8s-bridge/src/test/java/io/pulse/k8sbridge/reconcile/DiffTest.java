package io.pulse.k8sbridge.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.pulse.common.net.HostPort;
import io.pulse.k8sbridge.resources.DesiredState;
import io.pulse.k8sbridge.resources.Labels;
import io.pulse.k8sbridge.resources.MirrorConfig;
import io.pulse.k8sbridge.resources.Times;
import io.pulse.k8sbridge.view.ClusterView;
import io.pulse.k8sbridge.view.FunctionView;
import io.pulse.k8sbridge.view.InstanceView;
import io.pulse.k8sbridge.view.WorkerView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Table tests of the pure diff: each row takes the actual state as the desired one, changed one way. */
class DiffTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final MirrorConfig CONFIG = MirrorConfig.defaults("pulse-k8s-bridge", "pulse",
      List.of(new HostPort("10.0.9.1", 8080)));
  private static final WorkerView W1 = new WorkerView("w1", "10.0.0.1:9093", "host-a", 4000, 8192, "process");
  private static final ClusterView VIEW = new ClusterView(Map.of("w1", W1), Map.of("alpha",
      new FunctionView("alpha", 3, 250, 128, "", List.of(new InstanceView("alpha-1-a", "w1", "10.0.0.1", 20001)))),
      7, true);
  private static final DesiredState DESIRED = DesiredState.of(VIEW, Map.of(), CONFIG, NOW);

  private final Diff diff = new Diff(CONFIG);

  /** The API server's view of DESIRED: what it would hold right after the bridge wrote it, with server fields. */
  private static ActualState converged() {
    return new ActualState(DESIRED.nodes().stream().map(DiffTest::served).toList(),
        DESIRED.leases().stream().map(DiffTest::served).toList(),
        DESIRED.pods().stream().map(DiffTest::served).toList(),
        DESIRED.services().stream().map(s -> served(new ServiceBuilder(s).editSpec().withClusterIP("10.96.0.12")
            .withSessionAffinity("None").endSpec().build())).toList(),
        DESIRED.slices().stream().map(DiffTest::served).toList(), Map.of());
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T served(T object) {
    object.getMetadata().setResourceVersion("42");
    object.getMetadata().setUid("uid-" + object.getMetadata().getName());
    return object;
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row("converged: nothing to do", a -> a, List.of()),
        row("nothing there: create everything", a -> ActualState.EMPTY,
            List.of("Create NODE pulse-w1", "Create LEASE pulse-w1", "Create SERVICE alpha",
                "Create ENDPOINT_SLICE alpha-pulse", "Create POD alpha-1-a")),
        row("a pod of ours no longer desired: delete it", a -> withPods(a, Stream.concat(a.pods().stream(),
            Stream.of(ours("alpha-1-old", "pulse-w1"))).toList()), List.of("Delete POD alpha-1-old")),
        row("a pod without our marker: ignored", a -> withPods(a, Stream.concat(a.pods().stream(),
            Stream.of(theirs("alpha-1-x"))).toList()), List.of()),
        row("a pod bound to another node: recreate it", a -> withPods(a, List.of(
            new PodBuilder(a.pods().getFirst()).editSpec().withNodeName("pulse-w9").endSpec().build())),
            List.of("Recreate POD alpha-1-a")),
        row("a pod lost its Ready status: update the status only", a -> withPods(a, List.of(
            new PodBuilder(a.pods().getFirst()).editStatus().withPhase("Pending").endStatus().build())),
            List.of("Update POD alpha-1-a status")),
        row("a pod lost one of our labels: update it", a -> withPods(a, List.of(
            new PodBuilder(a.pods().getFirst()).editMetadata().removeFromLabels(Labels.REVISION).endMetadata()
                .build())), List.of("Update POD alpha-1-a spec")),
        row("someone began deleting our pod: finish it (the next pass recreates it)", a -> withPods(a, List.of(
            new PodBuilder(a.pods().getFirst()).editMetadata().withDeletionTimestamp(Times.time(NOW)).endMetadata()
                .build())), List.of("Delete POD alpha-1-a")),
        row("a stale lease: renew it", a -> new ActualState(a.nodes(), List.of(new LeaseBuilder(a.leases()
            .getFirst()).editSpec().withRenewTime(Times.microTime(NOW.minusSeconds(30))).endSpec().build()),
            a.pods(), a.services(), a.slices(), Map.of()), List.of("Update LEASE pulse-w1 spec")),
        row("an old node heartbeat: refresh the status", a -> new ActualState(List.of(new NodeBuilder(
            a.nodes().getFirst()).editStatus().editFirstCondition().withLastHeartbeatTime(Times.time(
                NOW.minusSeconds(120))).endCondition().endStatus().build()), a.leases(), a.pods(), a.services(),
            a.slices(), Map.of()), List.of("Update NODE pulse-w1 status")),
        row("someone added a label and a taint to our node: kept, nothing to do", a -> new ActualState(List.of(
            new NodeBuilder(a.nodes().getFirst()).editMetadata().addToLabels("team", "x").endMetadata()
                .editSpec().addNewTaint().withKey("other").withEffect("NoExecute").endTaint().endSpec().build()),
            a.leases(), a.pods(), a.services(), a.slices(), Map.of()), List.of()),
        row("a service port changed: update it", a -> new ActualState(a.nodes(), a.leases(), a.pods(), List.of(
            new ServiceBuilder(a.services().getFirst()).editSpec().editFirstPort().withPort(81).endPort().endSpec()
                .build()), a.slices(), Map.of()), List.of("Update SERVICE alpha spec")),
        row("an extra node of ours, with its lease: pods first, then lease, then node", a -> new ActualState(
            Stream.concat(a.nodes().stream(), Stream.of(ourNode("pulse-w2"))).toList(),
            Stream.concat(a.leases().stream(), Stream.of(ourLease("pulse-w2"))).toList(),
            Stream.concat(a.pods().stream(), Stream.of(ours("alpha-1-w2", "pulse-w2"))).toList(), a.services(),
            a.slices(), Map.of()),
            List.of("Delete POD alpha-1-w2", "Delete LEASE pulse-w2", "Delete NODE pulse-w2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void plan_table(String name, UnaryOperator<ActualState> change, List<String> expected) {
    Plan plan = diff.plan(DESIRED, change.apply(converged()), NOW);
    assertThat(plan.actions().stream().map(DiffTest::describe).toList()).containsExactlyElementsOf(expected);
  }

  @Test
  void plan_updateKeepsWhatTheServerOwns() {
    ActualState actual = converged();
    Service changed = new ServiceBuilder(actual.services().getFirst()).editSpec().editFirstPort().withPort(81)
        .endPort().endSpec().build();
    Plan plan = diff.plan(DESIRED, new ActualState(actual.nodes(), actual.leases(), actual.pods(), List.of(changed),
        actual.slices(), Map.of()), NOW);
    Service body = (Service) ((Action.Update) plan.actions().getFirst()).object();
    assertThat(body.getSpec().getClusterIP()).isEqualTo("10.96.0.12");
    assertThat(body.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(body.getSpec().getPorts().getFirst().getPort()).isEqualTo(80);
  }

  @Test
  void plan_sameQuantityWrittenDifferently_matches() {
    ActualState actual = converged();
    Pod pod = new PodBuilder(actual.pods().getFirst()).editSpec().editFirstContainer().editResources()
        .withRequests(Map.of("cpu", new Quantity("0.25"), "memory", new Quantity("128Mi"))).endResources()
        .endContainer().endSpec().build();
    assertThat(diff.plan(DESIRED, withPods(actual, List.of(pod)), NOW).isEmpty()).isTrue();
  }

  private static Arguments row(String name, UnaryOperator<ActualState> change, List<String> expected) {
    return Arguments.of(name, change, expected);
  }

  private static ActualState withPods(ActualState a, List<Pod> pods) {
    return new ActualState(a.nodes(), a.leases(), pods, a.services(), a.slices(), Map.of());
  }

  private static Pod ours(String name, String node) {
    return served(new PodBuilder(DESIRED.pods().getFirst()).editMetadata().withName(name).endMetadata()
        .editSpec().withNodeName(node).endSpec().build());
  }

  private static Pod theirs(String name) {
    return served(new PodBuilder(DESIRED.pods().getFirst()).editMetadata().withName(name)
        .removeFromLabels(Labels.MANAGED_BY).endMetadata().build());
  }

  private static Node ourNode(String name) {
    return served(new NodeBuilder(DESIRED.nodes().getFirst()).editMetadata().withName(name).endMetadata().build());
  }

  private static Lease ourLease(String name) {
    return served(new LeaseBuilder(DESIRED.leases().getFirst()).editMetadata().withName(name).endMetadata()
        .build());
  }

  private static String describe(Action action) {
    return switch (action) {
      case Action.Update u -> "Update " + u.kind() + " " + u.name() + (u.spec() ? " spec" : "")
          + (u.status() ? " status" : "");
      default -> action.getClass().getSimpleName() + " " + action.kind() + " " + action.name();
    };
  }
}
