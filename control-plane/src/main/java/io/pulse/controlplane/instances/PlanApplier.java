package io.pulse.controlplane.instances;

import io.pulse.common.time.Timers;
import io.pulse.controlplane.membership.WorkerInfo;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that sends commands to workers: carries out a {@link Plan} (creations, deletions) and the
 * {@link WorkerCommand}s images/ and pools/ decide (image preparation, pool targets), each stamped with the term's
 * epoch, and arms the one wake-up timer. Decides nothing; every answer goes back to whoever decided as an event
 * ({@link Answers}, {@link CommandAnswers}), on the coordinator's context. Once the term is {@link #abandon abandoned}
 * it sends nothing more.
 */
public final class PlanApplier {

  private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);

  /** Where the applier reports what workers answered. */
  public interface Answers {
    void created(Plan.Create create, CreateAnswer answer);

    /** The deletion was answered (or failed: deletions are best effort, a later listing shows what remains). */
    void deleted(Plan.Delete delete);

    /** The wake-up timer fired: deadlines may be due. */
    void wake();
  }

  /** Where the applier reports what workers answered to {@link WorkerCommand}s. */
  @FunctionalInterface
  public interface CommandAnswers<C extends WorkerCommand> {
    void answered(C command, CommandAnswer answer);
  }

  private final WorkerClient workers;
  private final long epoch;
  private final Timers timers;
  private final LongSupplier clock;
  private final Answers answers;
  private long armedAt = Long.MAX_VALUE;
  private Timers.@Nullable Timer armedTimer;
  /** The term ended without a shutdown: the next leader owns the workers, nothing more goes out. */
  private boolean abandoned;

  public PlanApplier(WorkerClient workers, long epoch, Timers timers, LongSupplier clock, Answers answers) {
    this.workers = workers;
    this.epoch = epoch;
    this.timers = timers;
    this.clock = clock;
    this.answers = answers;
  }

  public void apply(Plan plan) {
    if (abandoned) {
      return;
    }
    for (Plan.Create create : plan.creates()) {
      workers.create(create.worker(), create.instanceId(), create.function(), epoch)
          // A client that fails instead of answering (closed, a bug): the sandbox may exist all the same.
          .otherwise(failure -> new CreateAnswer.MayExist("UNKNOWN", String.valueOf(failure.getMessage())))
          .onSuccess(answer -> answers.created(create, answer));
    }
    for (Plan.Delete delete : plan.deletes()) {
      workers.delete(delete.worker(), delete.instanceId(), epoch).<Void>mapEmpty().recover(failure -> {
        LOG.atWarn().setMessage("sandbox deletion failed").addKeyValue("instance", delete.instanceId())
            .addKeyValue("worker", delete.worker().id()).addKeyValue("why", delete.why())
            .addKeyValue("error", failure.getMessage()).log();
        return Future.succeededFuture();
      }).onComplete(ar -> answers.deleted(delete));
    }
    arm(plan.wakeAtMillis());
  }

  /** Sends each command, and reports each answer (a failed call too) to {@code answers}. */
  public <C extends WorkerCommand> void send(List<C> commands, CommandAnswers<? super C> answers) {
    if (abandoned) {
      return;
    }
    for (C command : commands) {
      Future<CommandAnswer> call = switch (command) {
        case WorkerCommand.PrepareImage prepare -> workers.prepareImage(prepare.worker(), prepare.image(), epoch)
            .map(CommandAnswer.Done::new);
        case WorkerCommand.SetPoolTarget target -> workers.setPoolTarget(target.worker(), target.function(),
            target.target(), epoch).map(done -> new CommandAnswer.Done(null));
      };
      call.otherwise(failure -> failure instanceof WorkerClient.Unsupported ? new CommandAnswer.Unsupported()
              : new CommandAnswer.Failed(String.valueOf(failure.getMessage())))
          .onSuccess(answer -> answers.answered(command, answer));
    }
  }

  /** What a worker runs now ({@code ListSandboxes}), for a new term's sweep; fails once the term is abandoned. */
  public Future<WorkerListing> list(WorkerInfo worker) {
    return abandoned ? Future.failedFuture(new IllegalStateException("the term ended")) : workers.list(worker);
  }

  /**
   * What an instance printed, read from its worker (the REST API's log reads go to workers through here too). Not
   * confined to the coordinator's context: it only reads.
   */
  public Future<LogAnswer> logs(WorkerInfo worker, String instanceId, int tail, long sinceMs) {
    return workers.logs(worker, instanceId, tail, sinceMs)
        .otherwise(failure -> new LogAnswer.Failed(String.valueOf(failure.getMessage())));
  }

  /** The term ended without a shutdown: cancels the wake-up timer, and nothing is sent from now on. */
  public void abandon() {
    abandoned = true;
    stop();
  }

  /** Opens the connection to a worker that joined, so that its first command does not pay for it. */
  public void connect(WorkerInfo worker) {
    workers.connect(worker);
  }

  /** Releases what is held for a worker that left. */
  public void forget(String workerId) {
    workers.forget(workerId);
  }

  /** Closes the connections to workers (the term ended: shut down or abandoned); calls after it fail. */
  public void close() {
    workers.close();
  }

  /** Cancels the wake-up timer (the term ended). */
  public void stop() {
    if (armedTimer != null) {
      armedTimer.cancel();
      armedTimer = null;
    }
    armedAt = Long.MIN_VALUE; // nothing is armed again
  }

  /** One timer, for the earliest deadline: moved earlier when a plan needs it, left alone otherwise. */
  private void arm(long wakeAtMillis) {
    if (wakeAtMillis >= armedAt || wakeAtMillis == Long.MAX_VALUE) {
      return;
    }
    if (armedTimer != null) {
      armedTimer.cancel();
    }
    armedAt = wakeAtMillis;
    armedTimer = timers.schedule(wakeAtMillis - clock.getAsLong(), () -> {
      armedTimer = null;
      armedAt = Long.MAX_VALUE;
      answers.wake();
    });
  }
}
