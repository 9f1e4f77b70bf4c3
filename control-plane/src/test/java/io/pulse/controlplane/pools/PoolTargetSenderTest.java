package io.pulse.controlplane.pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.instances.PlanApplier;
import io.pulse.controlplane.instances.WorkerCommand.SetPoolTarget;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decider returns the targets; a real applier sends them with the term's epoch and brings the answers back. */
class PoolTargetSenderTest {

  private final RecordingWorkerClient client = new RecordingWorkerClient();
  private final List<String> sent = client.sent;
  private final PlanApplier applier = client.applier(7);
  private long now = 1_000;

  private static final WorkerInfo CONTAINERD = new WorkerInfo("c1", "127.0.0.1:1", "h", "containerd", 1000, 1024);
  private static final WorkerInfo PROCESS = new WorkerInfo("p1", "127.0.0.1:2", "h", "process", 1000, 1024);

  private static FunctionRecord auto(String name, long revision) {
    FunctionSpec spec = new FunctionSpec(name, "busybox:latest", List.of("httpd"), 8080, Map.of(),
        new FunctionSpec.Resources(250, 128), new FunctionSpec.Scaling(0, 0, 1, 60, null, 0, 0, true), 30);
    return new FunctionRecord(spec, revision, Instant.EPOCH, Instant.EPOCH);
  }

  private static FunctionRecord function(String name, long revision, int prewarm) {
    FunctionSpec spec = new FunctionSpec(name, "busybox:latest", List.of("httpd"), 8080, Map.of(),
        new FunctionSpec.Resources(250, 128), new FunctionSpec.Scaling(0, 0, 1, 60, null, 0, prewarm), 30);
    return new FunctionRecord(spec, revision, Instant.EPOCH, Instant.EPOCH);
  }

  private void send(PoolTargetSender sender, List<SetPoolTarget> commands) {
    applier.send(commands, (command, answer) -> sender.answered(command, answer, now));
  }

  @Test
  void refresh_tellsFixedTargetsAgainEveryMinute_soAnIdleFunctionKeepsItsPools() {
    WorkerInfo pooling = new WorkerInfo("c2", "127.0.0.1:3", "h", "containerd", 1000, 1024, 0, 0, 4, 1024);
    WorkerInfo fakePooling = new WorkerInfo("f1", "127.0.0.1:4", "h", "fake", 1000, 1024, 0, 0, 4, 1024);
    List<WorkerInfo> alive = List.of(CONTAINERD, PROCESS, pooling, fakePooling);
    List<FunctionRecord> functions = List.of(function("fixed", 3, 2), function("none", 1, 0), auto("auto", 2));
    PoolTargetSender sender = new PoolTargetSender(f -> true);

    send(sender, sender.refresh(functions, alive, now));
    now += PoolTargetSender.REFRESH_MS - 1;
    send(sender, sender.refresh(functions, alive, now));
    assertThat(sent).as("told when they joined or the function came; not again within the minute").isEmpty();

    now += 1;
    send(sender, sender.refresh(functions, alive, now));
    assertThat(sent).as("pooling workers with a budget, fixed prewarms only").containsExactly("c2:fixed@3=2/e7",
        "f1:fixed@3=2/e7");

    sent.clear();
    now += PoolTargetSender.REFRESH_MS;
    send(sender, sender.refresh(functions, alive, now));
    assertThat(sent).containsExactly("c2:fixed@3=2/e7", "f1:fixed@3=2/e7");
  }

  @Test
  void functionUpserted_withPrewarm_goesToContainerdWorkersOnly() {
    PoolTargetSender sender = new PoolTargetSender(f -> false);
    send(sender, sender.functionUpserted(function("f", 3, 2), List.of(CONTAINERD, PROCESS)));

    assertThat(sent).containsExactly("c1:f@3=2/e7");
  }

  @Test
  void functionUpserted_withoutPrewarm_isSentOnlyWhereItsPoolsMustDrain() {
    Set<String> pooled = Set.of("had-pools");
    PoolTargetSender sender = new PoolTargetSender(pooled::contains);

    send(sender, sender.functionUpserted(function("never-pooled", 2, 0), List.of(CONTAINERD)));
    send(sender, sender.functionUpserted(function("had-pools", 2, 0), List.of(CONTAINERD)));

    assertThat(sent).containsExactly("c1:had-pools@2=0/e7");
  }

  @Test
  void functionDeleted_drainsItsPoolsOnEveryContainerdWorker_whateverItsPrewarmWas() {
    Set<String> pooled = Set.of("had-pools");
    PoolTargetSender sender = new PoolTargetSender(pooled::contains);

    send(sender, sender.functionDeleted(function("fixed", 3, 2), List.of(CONTAINERD, PROCESS)));
    send(sender, sender.functionDeleted(auto("auto", 4), List.of(CONTAINERD)));
    send(sender, sender.functionDeleted(function("had-pools", 5, 0), List.of(CONTAINERD)));
    send(sender, sender.functionDeleted(function("never-pooled", 1, 0), List.of(CONTAINERD)));

    assertThat(sent).containsExactly("c1:fixed@3=0/e7", "c1:auto@4=0/e7", "c1:had-pools@5=0/e7");
  }

  @Test
  void functionUpserted_withAutomaticPrewarm_drainsOnlyWherePoolsExist_theSizerSetsTheNewTargets() {
    PoolTargetSender none = new PoolTargetSender(f -> false);
    send(none, none.functionUpserted(auto("auto", 2), List.of(CONTAINERD)));
    assertThat(sent).isEmpty();

    PoolTargetSender some = new PoolTargetSender(f -> true);
    send(some, some.functionUpserted(auto("auto", 3), List.of(CONTAINERD)));
    assertThat(sent).containsExactly("c1:auto@3=0/e7");
  }

  @Test
  void workerJoined_getsTheTargetsOfFunctionsThatWantPools() {
    PoolTargetSender sender = new PoolTargetSender(f -> true);

    send(sender, sender.workerJoined(CONTAINERD, List.of(function("a", 1, 0), function("b", 4, 3))));
    send(sender, sender.workerJoined(PROCESS, List.of(function("b", 4, 3))));

    assertThat(sent).containsExactly("c1:b@4=3/e7");
  }

  @Test
  void aFailedTarget_isSentAgainAtItsRetryDeadline_withADoublingWait_untilTheWorkerTakesIt() {
    PoolTargetSender sender = new PoolTargetSender(f -> false);
    client.failing = true;
    send(sender, sender.functionUpserted(function("f", 3, 2), List.of(CONTAINERD)));

    assertThat(sender.due(now + PoolTargetSender.RETRY.delayMillis() - 1)).isEmpty();
    now += PoolTargetSender.RETRY.delayMillis();
    send(sender, sender.due(now));
    assertThat(sender.due(now)).as("sent again once, not at every look").isEmpty();

    assertThat(sender.due(now + PoolTargetSender.RETRY.delayMillis(1) - 1)).isEmpty();
    client.failing = false;
    now += PoolTargetSender.RETRY.delayMillis(1);
    send(sender, sender.due(now));

    assertThat(sent).containsExactly("c1:f@3=2/e7", "c1:f@3=2/e7", "c1:f@3=2/e7");
    assertThat(sender.due(Long.MAX_VALUE - 1)).as("taken: nothing left to retry").isEmpty();
  }

  @Test
  void aFailedTarget_isNotSentAgain_onceANewerOneWentOut_orItsWorkerLeft() {
    PoolTargetSender sender = new PoolTargetSender(f -> false);
    client.failing = true;
    send(sender, sender.functionUpserted(function("f", 3, 2), List.of(CONTAINERD)));
    send(sender, sender.functionUpserted(function("g", 1, 1), List.of(CONTAINERD)));
    client.failing = false;

    send(sender, sender.functionUpserted(function("f", 4, 2), List.of(CONTAINERD)));
    sender.forgetWorker("c1");

    assertThat(sender.due(Long.MAX_VALUE - 1)).isEmpty();
  }

  @Test
  void anAbandonedTerm_sendsNoTarget() {
    PoolTargetSender sender = new PoolTargetSender(f -> false);
    applier.abandon();

    send(sender, sender.functionUpserted(function("f", 3, 2), List.of(CONTAINERD)));
    send(sender, sender.workerJoined(CONTAINERD, List.of(function("f", 3, 2))));

    assertThat(sent).isEmpty();
  }
}
