package io.pulse.worker.service;

import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.PreparedImage;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxException.Reason;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxRuntime;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import io.pulse.worker.sandbox.Timings;
import io.pulse.worker.sandbox.logs.LogLine;
import io.pulse.worker.sandbox.logs.LogQuery;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create and delete as the outside world asks for them, guarded: a stale leader epoch is refused (and epoch 0, the data
 * planes', on anything but an Emergency Instance; see {@link EpochGuard}), a repeated create of the same instance
 * returns the first one's result, and a creation that would overcommit CPU or memory is refused. Keeps the leases of
 * Emergency Instances ({@link EmergencyLeases}): granted when one is ready or re-adopted, renewed by its creator,
 * released when it is deleted. Everything here is in memory and non-blocking; the runtime does the slow part.
 */
public final class SandboxCommands {

  /** A creation under way: later identical creates join it instead of starting a second sandbox. */
  private record Pending(String function, long revision, SandboxKind kind,
      CompletableFuture<CreatedSandbox> result) {}

  private static final Logger LOG = LoggerFactory.getLogger(SandboxCommands.class);
  /** How often the daemon calls {@link #reapExpired}: a scan of the leases in memory. */
  public static final long REAP_PERIOD_MS = 250;
  /** A gap of this many reap periods between two scans: the worker did not run (a timer is seldom that late). */
  private static final int PAUSE_AFTER_REAP_PERIODS = 8;

  private final SandboxRuntime runtime;
  private final EpochGuard epochs;
  private final WorkerMetrics metrics;
  private final AtomicReference<CapacityLedger> ledger;
  private final Resources emergencyReserve;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final EmergencyLeases leases;
  private final ListingGenerations generations = ListingGenerations.wallClock();

  /**
   * What this worker holds, and the generation it was taken at: it shows every sandbox whose creation answered with a
   * generation at or below it, unless deleted since (see {@link ListingGenerations}).
   */
  public record Listing(long generation, List<Sandbox> sandboxes) {}

  public SandboxCommands(SandboxRuntime runtime, Resources capacity, EpochGuard epochs, WorkerMetrics metrics) {
    this(runtime, capacity, Resources.NONE, epochs, metrics);
  }

  public SandboxCommands(SandboxRuntime runtime, Resources capacity, Resources emergencyReserve, EpochGuard epochs,
      WorkerMetrics metrics) {
    this(runtime, capacity, emergencyReserve, epochs, metrics, () -> System.nanoTime() / 1_000_000);
  }

  /**
   * @param capacity everything this worker offers
   * @param emergencyReserve the part of {@code capacity} only Emergency Instances may take: a Regular Instance must
   *     fit in {@code capacity - emergencyReserve} together with everything already reserved
   * @param leaseClockMs monotonic milliseconds, the clock of Emergency Instances' leases
   */
  public SandboxCommands(SandboxRuntime runtime, Resources capacity, Resources emergencyReserve, EpochGuard epochs,
      WorkerMetrics metrics, LongSupplier leaseClockMs) {
    this.runtime = runtime;
    this.leases = new EmergencyLeases(leaseClockMs, PAUSE_AFTER_REAP_PERIODS * REAP_PERIOD_MS);
    this.epochs = epochs;
    this.metrics = metrics;
    this.ledger = new AtomicReference<>(CapacityLedger.empty(capacity));
    this.emergencyReserve = emergencyReserve;
  }

  /**
   * Counts sandboxes that already run (re-adopted after a restart) against capacity, even beyond it; an Emergency
   * Instance's lease starts again from now (its creator's renewals went to the previous run).
   */
  public void adopt(List<Sandbox> sandboxes) {
    sandboxes.forEach(s -> {
      ledger.updateAndGet(l -> l.with(s.instanceId(), s.resources()));
      if (s.kind() == SandboxKind.EMERGENCY) {
        leases.grant(s.instanceId(), s.creator());
      }
    });
  }

  /** Renews the leases of {@code creator}'s Emergency Instances; returns the ids it holds no lease of. */
  public List<String> renewLeases(String creator, Collection<String> instanceIds) {
    return leases.renew(creator, instanceIds);
  }

  /**
   * Takes out the leases that ran out and deletes those Emergency Instances (their creator stopped renewing: it
   * crashed or lost its way to this worker). Returns the ids it deletes. Called every {@link #REAP_PERIOD_MS}: a longer
   * gap is taken for a pause of the worker, after which every lease runs in full again.
   */
  public List<String> reapExpired() {
    long unwatched = leases.watch();
    if (unwatched > 0) {
      metrics.paused();
      LOG.atWarn().setMessage("worker did not run; Emergency Instances' leases run in full again from now")
          .addKeyValue("unwatchedMs", unwatched).addKeyValue("leases", leases.size()).log();
    }
    Map<String, EmergencyLeases.Held> expired = leases.expire();
    expired.forEach((id, lease) -> {
      metrics.reaped();
      LOG.atInfo().setMessage("reaping emergency instance: its creator stopped renewing the lease")
          .addKeyValue("instance", id).addKeyValue("creator", lease.creator())
          .addKeyValue("lease_ms", lease.leaseMs()).log();
      delete(id, 0);
    });
    return List.copyOf(expired.keySet());
  }

  public CompletionStage<CreatedSandbox> create(String instanceId, SandboxKind kind, SandboxSpec spec, long epoch) {
    SandboxException fenced = fenced("create", instanceId, epoch, kind);
    if (fenced != null) {
      return rejected("stale_epoch", fenced);
    }
    if (instanceId.isBlank()) {
      return rejected("invalid_spec", new SandboxException(Reason.INVALID_SPEC, "instanceId must not be empty"));
    }
    Claim claim = claim(instanceId, kind, spec);
    if (claim.joined != null) {
      Pending other = claim.joined;
      if (!other.function().equals(spec.function()) || other.revision() != spec.revision() || other.kind() != kind) {
        return rejected("already_exists", new SandboxException(Reason.ALREADY_EXISTS, "instance " + instanceId
            + " is being created for " + other.function() + " revision " + other.revision()));
      }
      metrics.result("existing");
      return other.result().copy();
    }
    if (claim.existing != null) {
      return existing(claim.existing, kind, spec);
    }
    Pending mine = Objects.requireNonNull(claim.mine);
    String shortfall = reserve(instanceId, spec.resources(),
        kind == SandboxKind.EMERGENCY ? Resources.NONE : emergencyReserve);
    if (shortfall != null) {
      SandboxException failure = new SandboxException(Reason.NO_CAPACITY, "no capacity for " + instanceId + ": "
          + shortfall);
      pending.remove(instanceId, mine);
      mine.result().completeExceptionally(failure);
      return rejected("no_capacity", failure);
    }
    CompletionStage<CreatedSandbox> created;
    try {
      created = runtime.create(instanceId, kind, spec);
    } catch (RuntimeException e) {
      created = CompletableFuture.failedFuture(e);
    }
    created.whenComplete((sandbox, failure) -> {
      if (failure != null) {
        ledger.updateAndGet(l -> l.without(instanceId));
        metrics.result(resultLabel(failure));
      } else {
        metrics.created(sandbox.timings());
        if (kind == SandboxKind.EMERGENCY) {
          leases.grant(instanceId, spec.creator());
        }
      }
      // The runtime lists the sandbox before it completes, so dropping the pending entry leaves no gap.
      pending.remove(instanceId, mine);
      if (failure != null) {
        mine.result().completeExceptionally(unwrap(failure));
      } else {
        mine.result().complete(sandbox);
      }
    });
    return mine.result().copy();
  }

  /** Makes an image present ahead of creations; fenced by the epoch like a creation. */
  /** Whether a leader's command about {@code function} as a whole (no instance) passes the epoch fence. */
  public @Nullable SandboxException fencedFunctionCommand(String command, String function, long epoch) {
    return fenced(command, function, epoch, null);
  }

  public CompletionStage<PreparedImage> prepareImage(String image, long epoch) {
    long start = System.nanoTime();
    CompletionStage<PreparedImage> prepared;
    // An image concerns no instance: epoch 0 (a tool warming a worker) is admitted, an old leader's is not.
    SandboxException fenced = fenced("prepare_image", image, epoch, null);
    if (fenced != null) {
      prepared = CompletableFuture.failedFuture(fenced);
    } else if (image.isBlank()) {
      prepared = CompletableFuture.failedFuture(new SandboxException(Reason.INVALID_SPEC, "image must not be empty"));
    } else {
      try {
        prepared = runtime.prepareImage(image);
      } catch (RuntimeException e) {
        prepared = CompletableFuture.failedFuture(e);
      }
    }
    return prepared.whenComplete((done, failure) -> metrics.imagePrepared(
        failure != null ? "failed" : done.alreadyPresent() ? "present" : "pulled", System.nanoTime() - start));
  }

  /** Deletes a sandbox, or the creation under way for that id. Completes with whether anything existed. */
  public CompletionStage<Boolean> delete(String instanceId, long epoch) {
    Pending creating = pending.get(instanceId);
    SandboxKind kind = creating != null ? creating.kind() : runtime.find(instanceId).map(Sandbox::kind).orElse(null);
    SandboxException fenced = fenced("delete", instanceId, epoch, kind);
    if (fenced != null) {
      return CompletableFuture.failedFuture(fenced);
    }
    CompletionStage<Boolean> first = runtime.delete(instanceId);
    if (creating != null) {
      // The first delete aborts the creation if the runtime holds it already; wait for the creation to settle,
      // then delete whatever it left (a creation that won the race).
      first = first.thenCompose(existed -> creating.result().handle((s, f) -> true))
          .thenCompose(existed -> runtime.delete(instanceId))
          .thenApply(existed -> true);
    }
    return first.whenComplete((existed, failure) -> {
      ledger.updateAndGet(l -> l.without(instanceId));
      leases.release(instanceId);
    });
  }

  /** What an instance printed; empty when the runtime does not hold it. Reads touch no bookkeeping. */
  public CompletionStage<Optional<List<LogLine>>> logs(String instanceId, LogQuery query) {
    return runtime.logs(instanceId, query);
  }

  public List<Sandbox> list() {
    return runtime.list();
  }

  /** Every sandbox now, stamped for the control plane's reconciliation (registration, heartbeat, ListSandboxes). */
  public Listing listing() {
    long generation = generations.listing(); // drawn before the table is read: see ListingGenerations
    return new Listing(generation, runtime.list());
  }

  /**
   * The generation for the answer to a creation that succeeded, drawn once its sandbox is in the runtime's table (a
   * runtime lists a sandbox before its creation completes): every listing at or above it shows the sandbox.
   */
  public long createdGeneration() {
    return generations.recorded();
  }

  /** CPU and memory reserved now. */
  public Resources reserved() {
    return ledger.get().total();
  }

  private Claim claim(String instanceId, SandboxKind kind, SandboxSpec spec) {
    Claim claim = new Claim();
    // Checking the runtime inside compute() orders it against the removal of a finished creation's entry.
    pending.compute(instanceId, (id, current) -> {
      if (current != null) {
        claim.joined = current;
        return current;
      }
      Optional<Sandbox> present = runtime.find(id);
      if (present.isPresent()) {
        claim.existing = present.get();
        return null;
      }
      claim.mine = new Pending(spec.function(), spec.revision(), kind, new CompletableFuture<>());
      return claim.mine;
    });
    return claim;
  }

  private CompletionStage<CreatedSandbox> existing(Sandbox sandbox, SandboxKind kind, SandboxSpec spec) {
    if (sandbox.kind() != kind) {
      // Else an epoch-0 "Emergency" create would hand out a Regular Instance past the fence.
      return rejected("already_exists", new SandboxException(Reason.ALREADY_EXISTS, "instance "
          + sandbox.instanceId() + " is " + (sandbox.kind() == SandboxKind.REGULAR ? "a Regular" : "an Emergency")
          + " Instance"));
    }
    if (!sandbox.runs(spec.function(), spec.revision())) {
      return rejected("already_exists", new SandboxException(Reason.ALREADY_EXISTS, "instance "
          + sandbox.instanceId() + " already runs " + sandbox.function() + " revision " + sandbox.revision()));
    }
    if (sandbox.state() == SandboxState.EXITED) {
      return rejected("already_exists", new SandboxException(Reason.ALREADY_EXISTS, "instance "
          + sandbox.instanceId() + " exists and has exited; delete it first"));
    }
    metrics.result("existing");
    return CompletableFuture.completedFuture(new CreatedSandbox(sandbox, Timings.NONE));
  }

  /** The refusal of a command the epoch fence stops, counted and logged; null when it may run. */
  private @Nullable SandboxException fenced(String command, String subject, long epoch, @Nullable SandboxKind kind) {
    EpochGuard.Refusal refusal = epochs.check(epoch, kind);
    if (refusal == null) {
      return null;
    }
    metrics.fenced(command, refusal.reason());
    LOG.atWarn().setMessage("command refused by the epoch fence").addKeyValue("command", command)
        .addKeyValue("subject", subject).addKeyValue("epoch", epoch).addKeyValue("reason", refusal.reason())
        .addKeyValue("highest", epochs.highest()).log();
    return new SandboxException(Reason.STALE_EPOCH, refusal.message());
  }

  private @Nullable String reserve(String instanceId, Resources request, Resources keptBack) {
    while (true) {
      CapacityLedger current = ledger.get();
      String shortfall = current.shortfall(request, keptBack);
      if (shortfall != null) {
        return shortfall;
      }
      if (ledger.compareAndSet(current, current.with(instanceId, request))) {
        return null;
      }
    }
  }

  private <T> CompletionStage<T> rejected(String result, SandboxException failure) {
    metrics.result(result);
    return CompletableFuture.failedFuture(failure);
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String resultLabel(Throwable failure) {
    return unwrap(failure) instanceof SandboxException se ? se.reason().name().toLowerCase() : "error";
  }

  /** The outcome of claiming an instance id: exactly one field is set. */
  private static final class Claim {
    @Nullable Pending joined;
    @Nullable Sandbox existing;
    @Nullable Pending mine;
  }
}
