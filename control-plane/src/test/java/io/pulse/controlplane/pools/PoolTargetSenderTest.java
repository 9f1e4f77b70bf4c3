package io.pulse.controlplane.pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolTargetSenderTest {

  private final RecordingWorkerClient client = new RecordingWorkerClient();
  private final List<String> sent = client.sent;

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

  @Test
  void functionUpserted_withPrewarm_goesToContainerdWorkersOnly() {
    new PoolTargetSender(client, 7, f -> false).functionUpserted(function("f", 3, 2), List.of(CONTAINERD, PROCESS));

    assertThat(sent).containsExactly("c1:f@3=2/e7");
  }

  @Test
  void functionUpserted_withoutPrewarm_isSentOnlyWhereItsPoolsMustDrain() {
    Set<String> pooled = Set.of("had-pools");
    PoolTargetSender sender = new PoolTargetSender(client, 7, pooled::contains);

    sender.functionUpserted(function("never-pooled", 2, 0), List.of(CONTAINERD));
    sender.functionUpserted(function("had-pools", 2, 0), List.of(CONTAINERD));

    assertThat(sent).containsExactly("c1:had-pools@2=0/e7");
  }

  @Test
  void functionDeleted_drainsItsPoolsOnEveryContainerdWorker_whateverItsPrewarmWas() {
    Set<String> pooled = Set.of("had-pools");
    PoolTargetSender sender = new PoolTargetSender(client, 7, pooled::contains);

    sender.functionDeleted(function("fixed", 3, 2), List.of(CONTAINERD, PROCESS));
    sender.functionDeleted(auto("auto", 4), List.of(CONTAINERD));
    sender.functionDeleted(function("had-pools", 5, 0), List.of(CONTAINERD));
    sender.functionDeleted(function("never-pooled", 1, 0), List.of(CONTAINERD));

    assertThat(sent).containsExactly("c1:fixed@3=0/e7", "c1:auto@4=0/e7", "c1:had-pools@5=0/e7");
  }

  @Test
  void functionUpserted_withAutomaticPrewarm_drainsOnlyWherePoolsExist_theSizerSetsTheNewTargets() {
    new PoolTargetSender(client, 7, f -> false).functionUpserted(auto("auto", 2), List.of(CONTAINERD));
    assertThat(sent).isEmpty();

    new PoolTargetSender(client, 7, f -> true).functionUpserted(auto("auto", 3), List.of(CONTAINERD));
    assertThat(sent).containsExactly("c1:auto@3=0/e7");
  }

  @Test
  void workerJoined_getsTheTargetsOfFunctionsThatWantPools() {
    PoolTargetSender sender = new PoolTargetSender(client, 7, f -> true);

    sender.workerJoined(CONTAINERD, List.of(function("a", 1, 0), function("b", 4, 3)));
    sender.workerJoined(PROCESS, List.of(function("b", 4, 3)));

    assertThat(sent).containsExactly("c1:b@4=3/e7");
  }
}
