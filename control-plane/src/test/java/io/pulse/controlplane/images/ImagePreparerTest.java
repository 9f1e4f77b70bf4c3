package io.pulse.controlplane.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.testing.ManualTimers;
import io.pulse.controlplane.instances.CreateAnswer;
import io.pulse.controlplane.instances.Plan;
import io.pulse.controlplane.instances.PlanApplier;
import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.instances.WorkerCommand.PrepareImage;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.status.FunctionStatus.ImagePreparation;
import io.pulse.controlplane.status.StatusBoard;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decider returns the preparations; a real applier sends them with the term's epoch to a recording worker client
 * and brings the answers back; the status board shows each one. Time is what the test says.
 */
class ImagePreparerTest {

  private static final WorkerInfo W1 = new WorkerInfo("w1", "127.0.0.1:1", "h", "containerd", 1000, 1024);
  private static final WorkerInfo W2 = new WorkerInfo("w2", "127.0.0.1:2", "h", "containerd", 1000, 1024);

  private final List<String> sent = new ArrayList<>();
  private boolean registryDown;
  private final WorkerClient client = new WorkerClient() {
    @Override
    public Future<CreateAnswer> create(WorkerInfo worker, String instanceId, FunctionRecord function, long epoch) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> delete(WorkerInfo worker, String instanceId, long epoch) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<PreparedImage> prepareImage(WorkerInfo worker, String image, long epoch) {
      sent.add(image + "@" + worker.id() + "/e" + epoch);
      return registryDown ? Future.failedFuture(new IllegalStateException("UNAVAILABLE: registry down"))
          : Future.succeededFuture(new PreparedImage(false, "sha256:feed", 1_500));
    }

    @Override
    public void forget(String workerId) {}

    @Override
    public void close() {}
  };
  private final ManualTimers timers = new ManualTimers(1_000);
  private final PlanApplier applier = new PlanApplier(client, 4, timers, timers.clock(), new PlanApplier.Answers() {
    @Override
    public void created(Plan.Create create, CreateAnswer answer) {}

    @Override
    public void deleted(Plan.Delete delete) {}

    @Override
    public void wake() {}
  });
  private final StatusBoard board = new StatusBoard(null);
  private final ImagePreparer images = new ImagePreparer(board);

  private static FunctionRecord function(String name, String image) {
    FunctionSpec spec = new FunctionSpec(name, image, List.of(), 8080, Map.of(), new FunctionSpec.Resources(250, 128),
        new FunctionSpec.Scaling(0, 0, 1, 60, null, 0, 0), 30);
    return new FunctionRecord(spec, 1, Instant.EPOCH, Instant.EPOCH);
  }

  private void send(List<PrepareImage> commands) {
    applier.send(commands, (command, answer) -> images.answered(command, answer, timers.now()));
  }

  private String state(String function, String workerId) {
    ImagePreparation preparation = board.image(function, workerId);
    return preparation == null ? "none" : preparation.state();
  }

  @Test
  void functionUpserted_andWorkerJoined_prepareTheImageOnceOnEachWorker_andTheStatusSaysReady() {
    send(images.functionUpserted(function("f", "app:1"), List.of(W1), timers.now()));
    send(images.workerJoined(W2, List.of(function("f", "app:1"), function("no-image", "")), timers.now()));
    send(images.functionUpserted(function("f", "app:1"), List.of(W1, W2), timers.now())); // ready: not again

    assertThat(sent).containsExactly("app:1@w1/e4", "app:1@w2/e4");
    assertThat(board.image("f", "w1")).extracting(ImagePreparation::state, ImagePreparation::digest,
        ImagePreparation::pullMillis).containsExactly("ready", "sha256:feed", 1.5);
  }

  @Test
  void aFailedPreparation_isAskedAgainAtItsRetryDeadline_withADoublingWait() {
    registryDown = true;
    send(images.functionUpserted(function("f", "app:1"), List.of(W1), timers.now()));
    assertThat(state("f", "w1")).isEqualTo("failed");
    assertThat(board.image("f", "w1").error()).contains("UNAVAILABLE", "registry down");

    timers.advance(ImagePreparer.RETRY.delayMillis() - 1);
    assertThat(images.due(timers.now())).isEmpty();
    timers.advance(1);
    send(images.due(timers.now()));
    assertThat(images.due(timers.now())).as("asked again once, not at every look").isEmpty();

    timers.advance(ImagePreparer.RETRY.delayMillis(1) - 1);
    assertThat(images.due(timers.now())).isEmpty();
    registryDown = false;
    timers.advance(1);
    send(images.due(timers.now()));

    assertThat(sent).containsExactly("app:1@w1/e4", "app:1@w1/e4", "app:1@w1/e4");
    assertThat(state("f", "w1")).isEqualTo("ready");
    assertThat(images.due(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void aFailedPreparation_isNotAskedAgain_onceTheFunctionOrItsWorkerIsGone() {
    registryDown = true;
    send(images.functionUpserted(function("f", "app:1"), List.of(W1), timers.now()));
    send(images.functionUpserted(function("g", "app:2"), List.of(W1, W2), timers.now()));

    board.forgetFunction("f");
    board.forgetWorker("w2");

    assertThat(images.due(Long.MAX_VALUE)).extracting(PrepareImage::function, c -> c.worker().id())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("g", "w1"));
  }

  @Test
  void anAbandonedTerm_preparesNothing() {
    applier.abandon();

    send(images.functionUpserted(function("f", "app:1"), List.of(W1), timers.now()));

    assertThat(sent).isEmpty();
  }
}
