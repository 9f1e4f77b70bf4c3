package io.pulse.worker.sandbox.containerd.pool;

import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.PoolableRuntime;
import io.pulse.worker.sandbox.PreparedImage;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxRuntime;
import io.pulse.worker.sandbox.SandboxSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containerd runtime (or the fake one's simulation) with a {@link SandboxPool} in front: a creation of a revision
 * with a ready member (a hit) only starts it; otherwise (a miss) it creates as always. A member that fails to start is
 * gone (the runtime removed it); the creation then goes the usual way, so a hit is never worse than a miss.
 *
 * @param <M> what the runtime hands out for one member
 */
public final class PooledSandboxRuntime<M> implements SandboxRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(PooledSandboxRuntime.class);

  /** Where claims are counted: hit or miss per track, and a hit's time from claim to ready. */
  public interface Claims {
    Claims NONE = new Claims() {
      @Override
      public void hit(SandboxKind kind, long claimToReadyNanos) { }

      @Override
      public void miss(SandboxKind kind) { }
    };

    void hit(SandboxKind kind, long claimToReadyNanos);

    void miss(SandboxKind kind);
  }

  private final PoolableRuntime<M> runtime;
  private final SandboxPool<M> pool;
  private volatile Claims claims = Claims.NONE;

  public PooledSandboxRuntime(PoolableRuntime<M> runtime, SandboxPool<M> pool) {
    this.runtime = runtime;
    this.pool = pool;
  }

  /** The runtime behind a pool of {@code budget}, refilled on the runtime's threads. */
  public static <M> PooledSandboxRuntime<M> of(PoolableRuntime<M> runtime, PoolBudget budget,
      java.time.Clock clock) {
    return new PooledSandboxRuntime<>(runtime, new SandboxPool<>(SandboxPool.Members.of(runtime), budget, clock,
        SandboxPool.Timer.DELAYED));
  }

  public SandboxPool<M> pool() {
    return pool;
  }

  /** Set once the worker's metrics exist (they are made after recovery). */
  public void countClaimsIn(Claims value) {
    this.claims = value;
  }

  @Override
  public String name() {
    return runtime.name();
  }

  @Override
  public CompletionStage<CreatedSandbox> create(String instanceId, SandboxKind kind, SandboxSpec spec) {
    Optional<M> member = pool.claim(spec.function(), spec.revision());
    if (member.isEmpty()) {
      claims.miss(kind);
      return runtime.create(instanceId, kind, spec);
    }
    long claimedAt = System.nanoTime();
    return runtime.start(member.get(), instanceId, kind).handle((created, failure) -> {
      pool.claimSettled();
      if (failure == null) {
        claims.hit(kind, System.nanoTime() - claimedAt);
        return CompletableFuture.completedFuture(created);
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof SandboxException se && (se.reason() == SandboxException.Reason.ALREADY_EXISTS
          || se.reason() == SandboxException.Reason.INVALID_SPEC)) {
        // Refused before the member was touched: it is still whole, and of no use to anyone else.
        runtime.discard(member.get());
        return CompletableFuture.<CreatedSandbox>failedFuture(cause);
      }
      if (cause instanceof SandboxException se && se.reason() == SandboxException.Reason.ABORTED) {
        return CompletableFuture.<CreatedSandbox>failedFuture(cause);
      }
      LOG.atWarn().setMessage("pool member failed to start; creating anew").addKeyValue("instance", instanceId)
          .addKeyValue("member", runtime.memberId(member.get())).addKeyValue("error", cause.getMessage()).log();
      claims.miss(kind);
      return runtime.create(instanceId, kind, spec);
    }).thenCompose(stage -> stage);
  }

  @Override
  public CompletionStage<PreparedImage> prepareImage(String image) {
    return runtime.prepareImage(image);
  }

  @Override
  public CompletionStage<Boolean> delete(String instanceId) {
    return runtime.delete(instanceId);
  }

  @Override
  public List<Sandbox> list() {
    return runtime.list();
  }

  @Override
  public Optional<Sandbox> find(String instanceId) {
    return runtime.find(instanceId);
  }

  @Override
  public CompletionStage<List<Sandbox>> recover() {
    return runtime.recover();
  }

  /**
   * The pool first (no refill starts after it; its ready members are discarded), then the runtime at once, without
   * waiting for those discards: it waits for them itself, stops the creations still under way and removes the members
   * the pool has not heard of yet, all within its own deadline (see {@link PoolableRuntime#close()}).
   */
  @Override
  public CompletionStage<Void> close() {
    pool.close();
    return runtime.close();
  }
}
