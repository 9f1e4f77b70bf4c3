package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.placement.ResourceRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalePlannerTest {

  private static final ResourceRequest RES = new ResourceRequest(100, 64);

  static Instance ready(String id, long revision, long readyAt) {
    return new Instance(id, "f", revision, "w", RES, InstanceState.READY, new HostPort("127.0.0.1", 1), 0, readyAt,
        false);
  }

  static Instance pending(String id, long revision) {
    return Instance.pending(id, "f", revision, "w", RES, 0);
  }

  static Instance draining(String id, long revision) {
    return ready(id, revision, 1).draining();
  }

  @Test
  void plan_fromZero_createsDesired() {
    assertThat(ScalePlanner.plan(1, 3, List.of())).isEqualTo(new ScalePlan(3, List.of()));
  }

  @Test
  void plan_pendingCountAsPresent_soARepeatedPlanCreatesNothingMore() {
    assertThat(ScalePlanner.plan(1, 2, List.of(pending("p1", 1), ready("r1", 1, 5)))).isEqualTo(ScalePlan.NOTHING);
  }

  @Test
  void plan_scaleDown_drainsNewestReadyFirst_andLeavesPendingAlone() {
    ScalePlan plan = ScalePlanner.plan(1, 1, List.of(ready("old", 1, 10), ready("new", 1, 30),
        ready("mid", 1, 20), pending("p", 1)));

    assertThat(plan).isEqualTo(new ScalePlan(0, List.of("new", "mid")));
  }

  @Test
  void plan_drainingInstancesAreIgnored() {
    assertThat(ScalePlanner.plan(1, 1, List.of(draining("d", 1)))).isEqualTo(new ScalePlan(1, List.of()));
  }

  @Test
  void rollingUpdate_story() {
    // Revision 2 arrives while two revision-1 instances serve: create two new, keep the old ones serving.
    List<Instance> start = List.of(ready("a1", 1, 1), ready("b1", 1, 2));
    assertThat(ScalePlanner.plan(2, 2, start)).isEqualTo(new ScalePlan(2, List.of()));

    // One new instance ready: one old one retires.
    List<Instance> oneReady = List.of(ready("a1", 1, 1), ready("b1", 1, 2), ready("a2", 2, 3), pending("b2", 2));
    assertThat(ScalePlanner.plan(2, 2, oneReady)).isEqualTo(new ScalePlan(0, List.of("b1")));

    // Both new ready: the last old one retires.
    List<Instance> allReady = List.of(ready("a1", 1, 1), ready("a2", 2, 3), ready("b2", 2, 4));
    assertThat(ScalePlanner.plan(2, 2, allReady)).isEqualTo(new ScalePlan(0, List.of("a1")));
  }

  @Test
  void update_toAFunctionScaledToZero_retiresOldAtOnce() {
    assertThat(ScalePlanner.plan(2, 0, List.of(ready("a1", 1, 1)))).isEqualTo(new ScalePlan(0, List.of("a1")));
  }

  @Test
  void drainingWorker_instancesReplacedElsewhereFirst_thenRetiredOnePerReplacement() {
    java.util.function.Predicate<String> leaving = worker -> worker.equals("w-leaving");
    Instance a = onWorker(ready("a", 1, 1), "w-leaving");
    Instance b = onWorker(ready("b", 1, 2), "w-leaving");
    // Nothing elsewhere yet: two replacements, both old ones keep serving.
    assertThat(ScalePlanner.plan(1, 2, List.of(a, b), leaving)).isEqualTo(new ScalePlan(2, List.of()));
    // One replacement ready elsewhere: one old one goes.
    Instance c = onWorker(ready("c", 1, 3), "w-staying");
    assertThat(ScalePlanner.plan(1, 2, List.of(a, b, c), leaving).drain()).hasSize(1);
    // Both ready: the last goes.
    Instance d = onWorker(ready("d", 1, 4), "w-staying");
    assertThat(ScalePlanner.plan(1, 2, List.of(a, c, d), leaving)).isEqualTo(new ScalePlan(0, List.of("a")));
    // Not leaving: the same instances are simply kept.
    assertThat(ScalePlanner.plan(1, 2, List.of(a, b), worker -> false)).isEqualTo(ScalePlan.NOTHING);
  }

  private static Instance onWorker(Instance instance, String workerId) {
    return new Instance(instance.id(), instance.function(), instance.revision(), workerId, instance.resources(),
        instance.state(), instance.endpoint(), instance.createdAtMillis(), instance.readyAtMillis(),
        instance.adopted());
  }
}
