package io.pulse.controlplane.images;

import io.pulse.common.retry.Backoff;
import io.pulse.controlplane.instances.CommandAnswer;
import io.pulse.controlplane.instances.WorkerCommand.PrepareImage;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.status.FunctionStatus.ImagePreparation;
import io.pulse.controlplane.status.StatusBoard;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which workers to ask to prepare which function images ahead of their first cold start, and writes the
 * outcome on the status board. Sends nothing: it returns the {@link PrepareImage} commands, the applier sends them and
 * hands each answer back ({@link #answered}). A failed preparation is asked again once its retry deadline passed
 * ({@link #due}, doubling {@link #RETRY}); until then the status says it failed. On the scheduler's context.
 */
public final class ImagePreparer {

  private static final Logger LOG = LoggerFactory.getLogger(ImagePreparer.class);
  /** A registry that failed may come back (or the image be pushed): asked again after 5 s, doubling up to 5 min. */
  static final Backoff RETRY = Backoff.doubling(5_000, 300_000);

  private record Key(String function, String workerId) {}

  private record Retry(PrepareImage command, long atMillis) {}

  private final StatusBoard board;
  private final Map<Key, Retry> retries = new HashMap<>();
  /** Per preparation that failed in a row: the wait before its next retry. */
  private final Map<Key, Backoff> backoffs = new HashMap<>();

  public ImagePreparer(StatusBoard board) {
    this.board = board;
  }

  /** A function was registered or updated: its image on every given worker. */
  public List<PrepareImage> functionUpserted(FunctionRecord function, Collection<WorkerInfo> on, long now) {
    List<PrepareImage> commands = new ArrayList<>();
    on.forEach(worker -> prepare(function, worker, now).ifPresent(commands::add));
    return commands;
  }

  /** A worker joined: every function's image on it. */
  public List<PrepareImage> workerJoined(WorkerInfo worker, Collection<FunctionRecord> functions, long now) {
    List<PrepareImage> commands = new ArrayList<>();
    functions.forEach(function -> prepare(function, worker, now).ifPresent(commands::add));
    return commands;
  }

  /** The failed preparations whose retry deadline passed, and that are still wanted: asked again. */
  public List<PrepareImage> due(long now) {
    List<PrepareImage> commands = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Retry>> it = retries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Retry> entry = it.next();
      if (entry.getValue().atMillis() > now) {
        continue;
      }
      it.remove();
      PrepareImage command = entry.getValue().command();
      ImagePreparation current = board.image(command.function(), command.worker().id());
      if (current == null || !current.image().equals(command.image()) || !current.state().equals("failed")) {
        backoffs.remove(entry.getKey()); // the function or worker is gone, or it changed its image meanwhile
        continue;
      }
      pulling(command, now);
      commands.add(command);
    }
    return commands;
  }

  /**
   * What the worker answered.
   *
   * @return whether the function's status changed
   */
  public boolean answered(PrepareImage command, CommandAnswer answer, long now) {
    ImagePreparation current = board.image(command.function(), command.worker().id());
    if (current == null || !current.image().equals(command.image())) {
      return false; // the function was deleted or changed its image meanwhile
    }
    Key key = new Key(command.function(), command.worker().id());
    switch (answer) {
      case CommandAnswer.Done done -> {
        backoffs.remove(key);
        board.image(command.function(), new ImagePreparation(command.worker().id(), command.image(), "ready", null,
            done.image() == null ? null : done.image().digest(),
            done.image() == null ? 0 : done.image().pullMicros() / 1000.0, now));
        return true;
      }
      case CommandAnswer.Unsupported unsupported -> {
        return false; // an older worker that pulls at creation time: nothing to report
      }
      case CommandAnswer.Failed failed -> {
        LOG.atWarn().setMessage("image preparation failed").addKeyValue("function", command.function())
            .addKeyValue("worker", command.worker().id()).addKeyValue("image", command.image())
            .addKeyValue("error", failed.error()).log();
        board.image(command.function(), new ImagePreparation(command.worker().id(), command.image(), "failed",
            failed.error(), null, 0, now));
        Backoff backoff = backoffs.getOrDefault(key, RETRY);
        retries.put(key, new Retry(command, now + backoff.delayMillis()));
        backoffs.put(key, backoff.next());
        return true;
      }
    }
  }

  private Optional<PrepareImage> prepare(FunctionRecord function, WorkerInfo worker, long now) {
    String image = function.spec().image();
    if (image == null || image.isBlank()) {
      return Optional.empty(); // process-runtime functions have no image
    }
    ImagePreparation known = board.image(function.name(), worker.id());
    if (known != null && known.image().equals(image) && !known.state().equals("failed")) {
      return Optional.empty(); // ready, or on its way
    }
    PrepareImage command = new PrepareImage(worker, function.name(), image);
    retries.remove(new Key(function.name(), worker.id())); // asked now: the retry is not needed
    pulling(command, now);
    return Optional.of(command);
  }

  private void pulling(PrepareImage command, long now) {
    board.image(command.function(), new ImagePreparation(command.worker().id(), command.image(), "pulling", null,
        null, 0, now));
  }
}
