package io.pulse.worker.membership;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.HeartbeatRequest;
import io.pulse.api.v1.HeartbeatResponse;
import io.pulse.api.v1.PoolReport;
import io.pulse.api.v1.RegisterWorkerRequest;
import io.pulse.api.v1.RegisterWorkerResponse;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.common.grpc.GrpcFutures;
import io.pulse.common.retry.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this worker with the control plane and heartbeats it. All state below is touched only on {@code context}
 * (timers fire there and {@link GrpcFutures#unary} completes there), except {@code registered}, read by readiness
 * checks from any thread.
 */
public final class ControlPlaneMembership {

  /**
   * Every sandbox of the worker, and the generation the listing was taken at (the control plane judges an instance's
   * absence by it: see {@code ListingGenerations}).
   */
  public record Listing(long generation, List<SandboxInfo> sandboxes) {}

  /** What the worker looks like from the control plane's side, as far as the log is concerned. */
  private enum Condition { REGISTERED, CANNOT_REGISTER, HEARTBEAT_FAILING }

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMembership.class);
  private static final long REGISTER_DEADLINE_MS = 5_000;
  private static final long LEADER_RETRY_MS = 200;
  /** 100 ms doubling to 2 s; a fifth jitter, seeded by the worker id, so a fleet does not re-register in step. */
  private static final Backoff REGISTER_BACKOFF = Backoff.doubling(100, 2_000);
  private static final double REGISTER_JITTER = 0.2;

  private final Vertx vertx;
  private final Context context;
  private final ManagedChannel channel;
  private final ControlPlaneServiceGrpc.ControlPlaneServiceStub stub;
  private final WorkerDescriptor descriptor;
  private final Supplier<Listing> sandboxes;
  private final Supplier<List<PoolReport>> pools;
  private final LongConsumer epochs;
  private final long fallbackIntervalMs;
  private final String target;

  private volatile boolean registered;
  private boolean stopped;
  private boolean lastCallFailed;
  private long intervalMs;
  private Backoff backoff;
  private long timerId = -1;
  private @Nullable Condition condition;

  private ControlPlaneMembership(Vertx vertx, ManagedChannel channel, String target, WorkerDescriptor descriptor,
      Supplier<Listing> sandboxes, Supplier<List<PoolReport>> pools, LongConsumer epochs,
      long fallbackIntervalMs) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.channel = channel;
    this.stub = ControlPlaneServiceGrpc.newStub(channel);
    this.target = target;
    this.descriptor = descriptor;
    this.sandboxes = sandboxes;
    this.pools = pools;
    this.epochs = epochs;
    this.fallbackIntervalMs = fallbackIntervalMs;
    this.intervalMs = fallbackIntervalMs;
    this.backoff = REGISTER_BACKOFF.jittered(REGISTER_JITTER, descriptor.getWorkerId().hashCode());
  }

  /**
   * Starts registering at once. The channel stays the caller's to close.
   *
   * @param sandboxes every sandbox of the worker with its generation, read for each register and heartbeat (must be
   *     cheap)
   * @param epochs told every leader epoch the control plane answers with
   * @param fallbackIntervalMs heartbeat period when the register answer does not give one
   */
  public static ControlPlaneMembership start(Vertx vertx, ManagedChannel channel, String target,
      WorkerDescriptor descriptor, Supplier<Listing> sandboxes, LongConsumer epochs,
      long fallbackIntervalMs) {
    return start(vertx, channel, target, descriptor, sandboxes, List::of, epochs, fallbackIntervalMs);
  }

  /** As above, with the worker's sandbox pools sent in every heartbeat ({@code pools} must be cheap too). */
  public static ControlPlaneMembership start(Vertx vertx, ManagedChannel channel, String target,
      WorkerDescriptor descriptor, Supplier<Listing> sandboxes, Supplier<List<PoolReport>> pools,
      LongConsumer epochs, long fallbackIntervalMs) {
    if (fallbackIntervalMs <= 0) {
      throw new IllegalArgumentException("heartbeatIntervalMs must be > 0, was " + fallbackIntervalMs);
    }
    ControlPlaneMembership membership =
        new ControlPlaneMembership(vertx, channel, target, descriptor, sandboxes, pools, epochs,
            fallbackIntervalMs);
    membership.context.runOnContext(v -> membership.register());
    return membership;
  }

  /** True once the control plane accepted the registration, until it says it forgot this worker. */
  public boolean registered() {
    return registered;
  }

  /** The heartbeat period in force (the control plane's, once registered). */
  public long heartbeatIntervalMs() {
    return intervalMs;
  }

  /** Stops registering and heartbeating; a call in flight is ignored when it returns. Idempotent. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      registered = false;
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
      done.complete();
    });
    return done.future();
  }

  private void register() {
    if (stopped) {
      return;
    }
    prepareChannel();
    Listing listing = sandboxes.get();
    RegisterWorkerRequest request = RegisterWorkerRequest.newBuilder()
        .setWorker(descriptor)
        .addAllSandboxes(listing.sandboxes())
        .setListingGeneration(listing.generation())
        .build();
    GrpcFutures.<RegisterWorkerResponse>unary(context, observer -> stub
            .withDeadlineAfter(REGISTER_DEADLINE_MS, TimeUnit.MILLISECONDS)
            .registerWorker(request, observer))
        .onComplete(ar -> {
          if (stopped) {
            return;
          }
          lastCallFailed = ar.failed();
          if (ar.succeeded()) {
            RegisterWorkerResponse response = ar.result();
            epochs.accept(response.getEpoch());
            intervalMs = response.getHeartbeatIntervalMs() > 0 ? response.getHeartbeatIntervalMs() : fallbackIntervalMs;
            backoff = backoff.reset();
            registered = true;
            enter(Condition.REGISTERED, null);
            schedule(intervalMs, this::heartbeat);
          } else {
            registered = false;
            enter(Condition.CANNOT_REGISTER, ar.cause());
            long delay = backoff.delayMillis();
            backoff = backoff.next();
            schedule(delay, this::register);
          }
        });
  }

  private void heartbeat() {
    if (stopped) {
      return;
    }
    prepareChannel();
    Listing listing = sandboxes.get();
    HeartbeatRequest request = HeartbeatRequest.newBuilder()
        .setWorkerId(descriptor.getWorkerId())
        .addAllSandboxes(listing.sandboxes())
        .setListingGeneration(listing.generation())
        .addAllPools(pools.get())
        .build();
    // A heartbeat slower than a few periods is as good as lost; do not let one hang the cycle.
    long deadline = Math.max(1_000, 3 * intervalMs);
    GrpcFutures.<HeartbeatResponse>unary(context, observer -> stub
            .withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
            .heartbeat(request, observer))
        .onComplete(ar -> {
          if (stopped) {
            return;
          }
          lastCallFailed = ar.failed();
          if (ar.succeeded() && ar.result().getRegistered()) {
            epochs.accept(ar.result().getEpoch());
            enter(Condition.REGISTERED, null);
            schedule(intervalMs, this::heartbeat);
          } else if (ar.succeeded() || GrpcFutures.code(ar.cause()) == Status.Code.NOT_FOUND) {
            registered = false;
            LOG.atInfo().setMessage("control plane does not know this worker; registering again")
                .addKeyValue("controlPlane", target).log();
            condition = null;
            register();
          } else {
            enter(Condition.HEARTBEAT_FAILING, ar.cause());
            // UNAVAILABLE: a follower or a dead leader; the channel is looking the leader up, so try again soon
            // (a failover must not cost a whole heartbeat period more).
            boolean leaderMoved = GrpcFutures.code(ar.cause()) == Status.Code.UNAVAILABLE;
            schedule(leaderMoved ? Math.min(intervalMs, LEADER_RETRY_MS) : intervalMs, this::heartbeat);
          }
        });
  }

  /** After a failure, skip grpc's own reconnect backoff (up to 2 min): our timers already pace the attempts. */
  private void prepareChannel() {
    if (lastCallFailed) {
      channel.resetConnectBackoff();
    }
  }

  private void schedule(long delayMs, Runnable action) {
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> action.run());
  }

  /** Logs transitions only: a control plane that is down for an hour gives one line, not one per attempt. */
  private void enter(Condition next, @Nullable Throwable cause) {
    if (next == condition) {
      return;
    }
    Condition previous = condition;
    condition = next;
    switch (next) {
      case REGISTERED -> LOG.atInfo()
          .setMessage(previous == Condition.HEARTBEAT_FAILING ? "heartbeats succeed again" : "registered with the control plane")
          .addKeyValue("controlPlane", target).addKeyValue("worker", descriptor.getWorkerId())
          .addKeyValue("heartbeatMs", intervalMs).log();
      case CANNOT_REGISTER -> LOG.atWarn().setMessage("cannot register with the control plane; retrying")
          .addKeyValue("controlPlane", target).addKeyValue("error", String.valueOf(cause)).log();
      case HEARTBEAT_FAILING -> LOG.atWarn().setMessage("heartbeats failing; retrying")
          .addKeyValue("controlPlane", target).addKeyValue("error", String.valueOf(cause)).log();
    }
  }
}
