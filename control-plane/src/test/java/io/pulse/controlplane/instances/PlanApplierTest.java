package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.net.HostPort;
import io.pulse.common.testing.ManualTimers;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The applier sends what a plan says, stamped with its epoch, reports every answer, and keeps one timer. */
class PlanApplierTest {

  private static final WorkerInfo W1 = new WorkerInfo("w1", "127.0.0.1:1", "h", "fake", 1000, 1024);
  private final List<String> sent = new ArrayList<>();
  private final List<String> heard = new ArrayList<>();

  private final WorkerClient client = new WorkerClient() {
    @Override
    public Future<CreateAnswer> create(WorkerInfo worker, String instanceId, FunctionRecord function, long epoch) {
      sent.add("create " + instanceId + "@" + worker.id() + "/e" + epoch);
      return instanceId.endsWith("broken") ? Future.failedFuture(new IllegalStateException("closed"))
          : Future.succeededFuture(new CreateAnswer.Created(new HostPort("127.0.0.1", 1)));
    }

    @Override
    public Future<Boolean> delete(WorkerInfo worker, String instanceId, long epoch) {
      sent.add("delete " + instanceId + "@" + worker.id() + "/e" + epoch);
      return Future.failedFuture(new IllegalStateException("unreachable"));
    }

    @Override
    public Future<PreparedImage> prepareImage(WorkerInfo worker, String image, long epoch) {
      sent.add("prepare " + image + "@" + worker.id() + "/e" + epoch);
      return switch (image) {
        case "old-worker" -> Future.failedFuture(new WorkerClient.Unsupported("UNIMPLEMENTED"));
        case "missing" -> Future.failedFuture(new IllegalStateException("NOT_FOUND: no such image"));
        default -> Future.succeededFuture(new PreparedImage(false, "sha256:feed", 2_000));
      };
    }

    @Override
    public Future<Void> setPoolTarget(WorkerInfo worker, FunctionRecord function, int target, long epoch) {
      sent.add("target " + function.name() + "=" + target + "@" + worker.id() + "/e" + epoch);
      return Future.succeededFuture();
    }

    @Override
    public Future<WorkerListing> list(WorkerInfo worker) {
      sent.add("list @" + worker.id());
      return Future.succeededFuture(WorkerListing.unstamped(List.of()));
    }

    @Override
    public void forget(String workerId) {}

    @Override
    public void close() {}
  };

  private final ManualTimers timers = new ManualTimers(1_000);

  private final PlanApplier applier = new PlanApplier(client, 9, timers, timers.clock(), new PlanApplier.Answers() {
    @Override
    public void created(Plan.Create create, CreateAnswer answer) {
      heard.add(create.instanceId() + " " + answer.getClass().getSimpleName());
    }

    @Override
    public void deleted(Plan.Delete delete) {
      heard.add(delete.instanceId() + " deleted");
    }

    @Override
    public void wake() {}
  });

  @Test
  void apply_sendsEveryCommandWithTheEpoch_andReportsEveryAnswer_evenAFailedCall() {
    FunctionRecord f = SandboxReconcilerTest.record("f", 1);

    applier.apply(new Plan(List.of(new Plan.Create("f-1-a", f, W1), new Plan.Create("f-1-broken", f, W1)),
        List.of(new Plan.Delete("f-1-old", W1, Plan.Why.DRAINED)), Long.MAX_VALUE));

    assertThat(sent).containsExactly("create f-1-a@w1/e9", "create f-1-broken@w1/e9", "delete f-1-old@w1/e9");
    assertThat(heard).containsExactly("f-1-a Created", "f-1-broken MayExist", "f-1-old deleted");
    assertThat(timers.pending()).isEmpty();
  }

  @Test
  void apply_keepsOneTimer_forTheEarliestDeadline() {
    applier.apply(new Plan(List.of(), List.of(), 1_500));
    applier.apply(new Plan(List.of(), List.of(), 2_000)); // later: the armed timer stays
    assertThat(timers.pending()).extracting(ManualTimers.Pending::delayMillis).containsExactly(500L);

    applier.apply(new Plan(List.of(), List.of(), 1_100)); // earlier: moved
    assertThat(timers.pending()).extracting(ManualTimers.Pending::delayMillis).containsExactly(100L);
  }

  @Test
  void send_sendsEveryCommandWithTheEpoch_andReportsEveryAnswer_inTheCoresTerms() {
    FunctionRecord f = SandboxReconcilerTest.record("f", 1);

    applier.send(List.<WorkerCommand>of(new WorkerCommand.PrepareImage(W1, "f", "app:1"),
        new WorkerCommand.PrepareImage(W1, "f", "old-worker"), new WorkerCommand.PrepareImage(W1, "f", "missing"),
        new WorkerCommand.SetPoolTarget(W1, f, 3)), (command, answer) -> heard.add(answer.toString()));

    assertThat(sent).containsExactly("prepare app:1@w1/e9", "prepare old-worker@w1/e9", "prepare missing@w1/e9",
        "target f=3@w1/e9");
    assertThat(heard).containsExactly(
        new CommandAnswer.Done(new WorkerClient.PreparedImage(false, "sha256:feed", 2_000)).toString(),
        new CommandAnswer.Unsupported().toString(), new CommandAnswer.Failed("NOT_FOUND: no such image").toString(),
        new CommandAnswer.Done(null).toString());
  }

  @Test
  void abandon_theTermEnded_nothingMoreGoesToWorkers() {
    FunctionRecord f = SandboxReconcilerTest.record("f", 1);
    applier.apply(new Plan(List.of(), List.of(), 1_500));

    applier.abandon();
    applier.apply(new Plan(List.of(new Plan.Create("f-1-a", f, W1)), List.of(), 1_100));
    applier.send(List.of(new WorkerCommand.SetPoolTarget(W1, f, 3)), (command, answer) -> heard.add("answered"));

    assertThat(applier.list(W1).failed()).isTrue();
    assertThat(sent).isEmpty();
    assertThat(heard).isEmpty();
    assertThat(timers.pending()).as("the wake-up timer is cancelled too").isEmpty();
  }
}
