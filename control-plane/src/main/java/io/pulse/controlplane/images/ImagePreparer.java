package io.pulse.controlplane.images;

import io.grpc.Status;
import io.pulse.common.grpc.GrpcFutures;
import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.status.FunctionStatus.ImagePreparation;
import io.pulse.controlplane.status.StatusBoard;
import java.util.Collection;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks workers to prepare function images ahead of their first cold start and writes the outcome on the status
 * board. On the scheduler's context; answers come back to it.
 */
public final class ImagePreparer {

  private static final Logger LOG = LoggerFactory.getLogger(ImagePreparer.class);

  private final WorkerClient workers;
  private final StatusBoard board;
  private final LongSupplier clock;
  private final long epoch;
  private final Runnable onChange;

  public ImagePreparer(WorkerClient workers, StatusBoard board, LongSupplier clock, long epoch, Runnable onChange) {
    this.workers = workers;
    this.board = board;
    this.clock = clock;
    this.epoch = epoch;
    this.onChange = onChange;
  }

  /** A function was registered or updated: its image on every given worker. */
  public void functionUpserted(FunctionRecord function, Collection<WorkerInfo> on) {
    on.forEach(worker -> prepare(function, worker));
  }

  /** A worker joined: every function's image on it. */
  public void workerJoined(WorkerInfo worker, Collection<FunctionRecord> functions) {
    functions.forEach(function -> prepare(function, worker));
  }

  private void prepare(FunctionRecord function, WorkerInfo worker) {
    String image = function.spec().image();
    if (image == null || image.isBlank()) {
      return; // process-runtime functions have no image
    }
    ImagePreparation known = board.image(function.name(), worker.id());
    if (known != null && known.image().equals(image) && !known.state().equals("failed")) {
      return; // ready, or on its way
    }
    board.image(function.name(), new ImagePreparation(worker.id(), image, "pulling", null, null, 0,
        clock.getAsLong()));
    onChange.run();
    workers.prepareImage(worker, image, epoch).onComplete(answer -> {
      ImagePreparation current = board.image(function.name(), worker.id());
      if (current == null || !current.image().equals(image)) {
        return; // the function was deleted or changed its image meanwhile
      }
      if (answer.succeeded()) {
        board.image(function.name(), new ImagePreparation(worker.id(), image, "ready", null,
            answer.result().digest(), answer.result().pullMicros() / 1000.0, clock.getAsLong()));
      } else {
        if (answer.cause() instanceof WorkerClient.Unsupported) {
          return; // an older worker that pulls at creation time: nothing to report
        }
        Status.Code code = GrpcFutures.code(answer.cause());
        String error = code + ": " + answer.cause().getMessage();
        LOG.atWarn().setMessage("image preparation failed").addKeyValue("function", function.name())
            .addKeyValue("worker", worker.id()).addKeyValue("image", image).addKeyValue("error", error).log();
        board.image(function.name(), new ImagePreparation(worker.id(), image, "failed", error, null, 0,
            clock.getAsLong()));
      }
      onChange.run();
    });
  }
}
