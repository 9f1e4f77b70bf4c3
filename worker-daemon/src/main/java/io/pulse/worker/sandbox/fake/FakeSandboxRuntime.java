package io.pulse.worker.sandbox.fake;

import io.pulse.common.net.HostPort;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.PoolableRuntime;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxException.Reason;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import io.pulse.worker.sandbox.Timings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A FAKE runtime: sandboxes are entries in a map, with no process. A sandbox becomes ready after a cold start drawn
 * from the profile. With {@link FakeProfile#serveHttp()} (and a Vertx) each sandbox serves real HTTP on its endpoint
 * from an in-process Vert.x server whose answers take an execution time drawn from the profile (timers: no CPU is
 * burned), so hundreds of functions and thousands of instances can be driven end to end on a small machine; without
 * it the endpoints are bare numbers from the port range, for simulating control-plane load. Accepts image-only and
 * command specs alike. Behind a {@code PooledSandboxRuntime} it simulates a pool: members take a cold start to
 * create in the background, a claim {@link FakeProfile#poolStartMs()}. Never for real workloads.
 */
public final class FakeSandboxRuntime implements PoolableRuntime<FakeSandboxRuntime.Member> {

  private final @Nullable Vertx vertx;
  private final String advertiseHost;
  private final FakeProfile profile;
  private final int portRangeStart;
  private final int portRangeSize;
  private final AtomicInteger nextPort = new AtomicInteger();
  private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private final Map<String, FakeEndpoint> endpoints = new ConcurrentHashMap<>();
  private final SplittableRandom random; // guarded by itself
  /**
   * Creation and pool-start times are drawn from one stream per function, seeded by the profile's seed and the
   * function's name: two runs with the same seed give a function's k-th creation the same time whatever else the
   * runs create, so a comparison of two policies on one schedule is not decided by which of them drew the slower
   * cold starts (common random numbers; each run's times are distributed as before).
   */
  private final Map<String, SplittableRandom> creationTimes = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Sandboxes that serve nothing and become ready {@code readyDelayMs} after their creation. */
  public FakeSandboxRuntime(String advertiseHost, long readyDelayMs, int portRangeStart, int portRangeEnd) {
    this(null, advertiseHost, FakeProfile.DEFAULT.withServeHttp(false)
        .withColdStartMs(new Distribution.Constant(checkedDelay(readyDelayMs))), portRangeStart, portRangeEnd);
  }

  /**
   * @param vertx runs the sandboxes' HTTP servers and timers; required when the profile serves HTTP
   */
  public FakeSandboxRuntime(@Nullable Vertx vertx, String advertiseHost, FakeProfile profile, int portRangeStart,
      int portRangeEnd) {
    if (portRangeStart < 1 || portRangeEnd > 65535 || portRangeStart > portRangeEnd) {
      throw new IllegalArgumentException("portRange must satisfy 1 <= start <= end <= 65535, was "
          + portRangeStart + ".." + portRangeEnd);
    }
    if (profile.serveHttp() && vertx == null) {
      throw new IllegalArgumentException("a fake runtime that serves HTTP needs a Vertx");
    }
    this.vertx = vertx;
    this.advertiseHost = advertiseHost;
    this.profile = profile;
    this.portRangeStart = portRangeStart;
    this.portRangeSize = portRangeEnd - portRangeStart + 1;
    this.random = new SplittableRandom(profile.seed());
  }

  private static long checkedDelay(long readyDelayMs) {
    if (readyDelayMs < 0) {
      throw new IllegalArgumentException("readyDelayMs must be >= 0, was " + readyDelayMs);
    }
    return readyDelayMs;
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public CompletionStage<CreatedSandbox> create(String instanceId, SandboxKind kind, SandboxSpec spec) {
    return launch(instanceId, kind, spec, profile.coldStartMs());
  }

  /**
   * A simulated pool member: nothing of it exists but its creation time, spent before the pool was handed it; a
   * claim then costs {@link FakeProfile#poolStartMs()} instead of a cold start. {@code creationMicros} is the cold
   * start drawn for it, reported as the pool's refill time so the leader's automatic sizing sees a real one.
   */
  public record Member(String memberId, SandboxSpec spec, long creationMicros) {}

  @Override
  public CompletionStage<Member> precreate(String memberId, SandboxSpec spec) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.UNAVAILABLE, "the fake runtime is closed"));
    }
    long creation = Math.round(creationSample(spec.function(), profile.coldStartMs()));
    Member member = new Member(memberId, spec, creation * 1_000);
    return creation == 0 ? CompletableFuture.completedFuture(member)
        : CompletableFuture.supplyAsync(() -> member,
            CompletableFuture.delayedExecutor(creation, TimeUnit.MILLISECONDS));
  }

  @Override
  public CompletionStage<CreatedSandbox> start(Member member, String instanceId, SandboxKind kind) {
    return launch(instanceId, kind, member.spec(), profile.poolStartMs());
  }

  @Override
  public CompletionStage<Void> discard(Member member) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String memberId(Member member) {
    return member.memberId();
  }

  @Override
  public long creationMicros(Member member) {
    return member.creationMicros();
  }

  /** A sandbox of {@code spec} ready after a time drawn from {@code readyIn}. */
  private CompletionStage<CreatedSandbox> launch(String instanceId, SandboxKind kind, SandboxSpec spec,
      Distribution readyIn) {
    if (instanceId.isBlank()) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.INVALID_SPEC, "instanceId must not be empty"));
    }
    if (closed.get()) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.UNAVAILABLE, "the fake runtime is closed"));
    }
    long t0 = System.nanoTime();
    int port = profile.serveHttp() ? 0 : portRangeStart + Math.floorMod(nextPort.getAndIncrement(), portRangeSize);
    Sandbox starting = new Sandbox(instanceId, spec.function(), spec.revision(), kind,
        new HostPort(advertiseHost, Math.max(1, port)), System.currentTimeMillis(), spec.resources(),
        SandboxState.STARTING).withCreator(spec.creator());
    if (sandboxes.putIfAbsent(instanceId, starting) != null) {
      return CompletableFuture.failedFuture(
          new SandboxException(Reason.ALREADY_EXISTS, "instance " + instanceId + " already exists"));
    }
    long coldStart = Math.round(creationSample(spec.function(), readyIn));
    if (!profile.serveHttp()) {
      if (coldStart == 0) {
        return CompletableFuture.completedFuture(becomeReady(starting, starting.endpoint(), t0));
      }
      Executor later = CompletableFuture.delayedExecutor(coldStart, TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> becomeReady(starting, starting.endpoint(), t0), later);
    }
    CompletableFuture<CreatedSandbox> result = new CompletableFuture<>();
    Vertx v = vertx;
    Runnable serve = () -> startServing(v, starting, t0).onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        result.completeExceptionally(ar.cause());
      }
    });
    if (coldStart == 0) {
      serve.run();
    } else {
      v.setTimer(coldStart, id -> serve.run());
    }
    return result;
  }

  private Future<CreatedSandbox> startServing(Vertx v, Sandbox starting, long t0) {
    if (sandboxes.get(starting.instanceId()) != starting) {
      return Future.failedFuture(new SandboxException(Reason.ABORTED,
          "instance " + starting.instanceId() + " was deleted while starting"));
    }
    FakeEndpoint endpoint = new FakeEndpoint(v, starting.instanceId(), starting.function(),
        () -> sample(profile.executionMs()));
    endpoints.put(starting.instanceId(), endpoint);
    return endpoint.start(advertiseHost).transform(ar -> {
      if (ar.failed()) {
        endpoints.remove(starting.instanceId(), endpoint);
        sandboxes.remove(starting.instanceId(), starting);
        return Future.failedFuture(new SandboxException(Reason.START_FAILED,
            "fake endpoint of " + starting.instanceId() + " could not listen: " + ar.cause().getMessage()));
      }
      try {
        return Future.succeededFuture(becomeReady(starting, new HostPort(advertiseHost, ar.result()), t0));
      } catch (SandboxException e) {
        endpoints.remove(starting.instanceId(), endpoint);
        return endpoint.stop().transform(ignored -> Future.failedFuture(e));
      }
    });
  }

  private CreatedSandbox becomeReady(Sandbox starting, HostPort endpoint, long t0) {
    Sandbox ready = new Sandbox(starting.instanceId(), starting.function(), starting.revision(), starting.kind(),
        endpoint, starting.createdAtMs(), starting.resources(), SandboxState.READY).withCreator(starting.creator());
    if (!sandboxes.replace(starting.instanceId(), starting, ready)) {
      throw new SandboxException(Reason.ABORTED, "instance " + starting.instanceId() + " was deleted while starting");
    }
    long total = (System.nanoTime() - t0) / 1_000;
    return new CreatedSandbox(ready, new Timings(0, 0, 0, 0, total, total));
  }

  private double creationSample(String function, Distribution distribution) {
    return draw(creationTimes.computeIfAbsent(function, f -> new SplittableRandom(profile.seed() ^ nameHash(f))),
        distribution);
  }

  /** FNV-1a over the name's chars: the same in every JVM and run, and 64 bits wide (String.hashCode is 32). */
  private static long nameHash(String name) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      hash = (hash ^ name.charAt(i)) * 0x100000001b3L;
    }
    return hash;
  }

  private double sample(Distribution distribution) {
    return draw(random, distribution);
  }

  /** One non-negative sample from {@code stream}, which is guarded by itself. */
  private static double draw(SplittableRandom stream, Distribution distribution) {
    synchronized (stream) {
      return Math.max(0, distribution.sample(stream));
    }
  }

  @Override
  public CompletionStage<Boolean> delete(String instanceId) {
    boolean existed = sandboxes.remove(instanceId) != null;
    FakeEndpoint endpoint = endpoints.remove(instanceId);
    if (endpoint == null) {
      return CompletableFuture.completedFuture(existed);
    }
    return endpoint.stop().transform(ar -> Future.succeededFuture(existed)).toCompletionStage();
  }

  @Override
  public List<Sandbox> list() {
    return List.copyOf(sandboxes.values());
  }

  @Override
  public Optional<Sandbox> find(String instanceId) {
    return Optional.ofNullable(sandboxes.get(instanceId));
  }

  @Override
  public CompletionStage<List<Sandbox>> recover() {
    // Nothing survives a restart of a fake.
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public CompletionStage<Void> close() {
    closed.set(true);
    sandboxes.clear();
    List<Future<Void>> stops = new ArrayList<>();
    endpoints.values().forEach(e -> stops.add(e.stop()));
    endpoints.clear();
    return Future.join(stops).<Void>mapEmpty().otherwiseEmpty().toCompletionStage();
  }

  /** Simulates a sandbox whose process died: it is reported EXITED until deleted. False if there is no such one. */
  public boolean markExited(String instanceId) {
    return sandboxes.computeIfPresent(instanceId, (id, s) -> s.exited(new io.pulse.worker.sandbox.SandboxExit(
        io.pulse.worker.sandbox.SandboxExit.Reason.EXITED, 1, System.currentTimeMillis(), "simulated exit"))) != null;
  }
}
