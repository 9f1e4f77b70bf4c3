package io.pulse.common.leader;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.api.v1.LeaderInfo;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.net.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel to the control plane's leader, found from seed replicas. Calls go to the current leader's address; when
 * one ends with UNAVAILABLE (a follower refusing, a dead leader), or a route stream ends, the channel asks every seed
 * {@code GetLeader} in parallel and switches to the first leader named. Callers keep their own retry pacing (route
 * streams reconnect, heartbeats and load reports repeat); this channel only makes the next attempt go to the right
 * place. With a single seed it is a plain channel to that seed (what one replica, and {@code pulse up}, need).
 */
public final class LeaderChannel extends ManagedChannel {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderChannel.class);
  private static final long GET_LEADER_DEADLINE_MS = 1_000;
  private static final long RETRY_MS = 50;

  private final List<HostPort> seeds;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final AtomicBoolean resolving = new AtomicBoolean();
  private final List<Runnable> waiters = new ArrayList<>(); // guarded by itself
  private volatile String current;
  private volatile boolean shutdown;

  private LeaderChannel(List<HostPort> seeds) {
    this.seeds = List.copyOf(seeds);
    this.current = seeds.getFirst().toString();
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pulse-leader-lookup")
        .daemon().factory());
  }

  /** A channel over these seed replicas (at least one); with several it looks the leader up at once. */
  public static LeaderChannel create(List<HostPort> seeds) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("controlPlane must list at least one host:port");
    }
    LeaderChannel channel = new LeaderChannel(seeds);
    channel.leaderUnknown();
    return channel;
  }

  /** The address calls go to now. */
  public String target() {
    return current;
  }

  /** Something said the current target is not the leader: look it up again (at most one lookup at a time). */
  public void leaderUnknown() {
    if (seeds.size() < 2 || shutdown || !resolving.compareAndSet(false, true)) {
      return;
    }
    lookup();
  }

  /**
   * Runs {@code action} once the lookup under way, if any, has had its answers (a leader found, or none named this
   * round): at once when none is under way. A new stream waits for it, so that it goes to the leader just found and
   * not to the replica that just said it does not lead. Runs on the caller's thread or on gRPC's; must not block.
   */
  public void afterLookup(Runnable action) {
    synchronized (waiters) {
      if (resolving.get() && !shutdown) {
        waiters.add(action);
        return;
      }
    }
    action.run();
  }

  /** A lookup round had its answers: run the waiters ({@code finished}: and no further round is planned). */
  private void roundDone(boolean finished) {
    List<Runnable> ready;
    synchronized (waiters) {
      if (finished) {
        resolving.set(false);
      }
      ready = List.copyOf(waiters);
      waiters.clear();
    }
    ready.forEach(Runnable::run);
  }

  private void lookup() {
    if (shutdown) {
      roundDone(true);
      return;
    }
    AtomicInteger pending = new AtomicInteger(seeds.size());
    AtomicBoolean found = new AtomicBoolean();
    for (HostPort seed : seeds) {
      ControlPlaneServiceGrpc.newStub(channel(seed.toString()))
          .withDeadlineAfter(GET_LEADER_DEADLINE_MS, TimeUnit.MILLISECONDS)
          .getLeader(GetLeaderRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(LeaderInfo info) {
              if (info.getKnown() && !info.getGrpcAddress().isEmpty() && found.compareAndSet(false, true)) {
                switchTo(info);
              }
            }

            @Override
            public void onError(Throwable t) {
              done();
            }

            @Override
            public void onCompleted() {
              done();
            }

            private void done() {
              if (pending.decrementAndGet() == 0 && !found.get()) {
                // No seed knows a leader (an election is under way, or none is reachable): ask again shortly.
                try {
                  timer.schedule(LeaderChannel.this::lookup, RETRY_MS, TimeUnit.MILLISECONDS);
                  roundDone(false);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                  roundDone(true);
                }
              }
            }
          });
    }
  }

  private void switchTo(LeaderInfo info) {
    String address = info.getGrpcAddress();
    if (!address.equals(current)) {
      LOG.atInfo().setMessage("control-plane leader found").addKeyValue("leader", info.getLeaderId())
          .addKeyValue("address", address).addKeyValue("epoch", info.getEpoch()).log();
      current = address;
    }
    channel(address).resetConnectBackoff();
    roundDone(true);
  }

  private ManagedChannel channel(String address) {
    return channels.computeIfAbsent(address, GrpcChannels::plaintext);
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    ClientCall<Q, R> call = channel(current).newCall(method, options);
    boolean stream = method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING;
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED
                || (stream && status.isOk())) {
              leaderUnknown();
            }
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }

  @Override
  public String authority() {
    return channel(current).authority();
  }

  @Override
  public void resetConnectBackoff() {
    channels.values().forEach(ManagedChannel::resetConnectBackoff);
  }

  @Override
  public ManagedChannel shutdown() {
    shutdown = true;
    timer.shutdownNow();
    channels.values().forEach(ManagedChannel::shutdown);
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    shutdown = true;
    timer.shutdownNow();
    channels.values().forEach(ManagedChannel::shutdownNow);
    return this;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && channels.values().stream().allMatch(ManagedChannel::isTerminated);
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (ManagedChannel channel : channels.values()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }
}
