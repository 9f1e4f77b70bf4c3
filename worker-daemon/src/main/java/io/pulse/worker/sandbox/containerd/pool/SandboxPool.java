package io.pulse.worker.sandbox.containerd.pool;

import io.pulse.worker.sandbox.PoolableRuntime;
import io.pulse.worker.sandbox.SandboxSpec;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members of every pool of this worker, kept at their targets within a {@link PoolBudget}. Decides under its lock
 * (with {@link Refill}), creates and discards after it, on the runtime's threads: nothing here blocks. A pool whose
 * creations fail waits longer after each failure (a bad image must not keep the worker busy) and says why in its
 * {@link PoolStatus}.
 *
 * @param <M> what the runtime hands out for one member (containerd's {@code Precreated}, the fake runtime's member)
 */
public final class SandboxPool<M> {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxPool.class);

  /** What the pool needs of a runtime. */
  public interface Members<M> {
    CompletionStage<M> precreate(String memberId, SandboxSpec spec);

    CompletionStage<Void> discard(M member);

    /** The member's id, for logs. */
    default String id(M member) {
      return String.valueOf(member);
    }

    /** How long the member took to prepare (the pool's refill time, which automatic sizing needs); 0: unknown. */
    default long creationMicros(M member) {
      return 0;
    }

    static <M> Members<M> of(PoolableRuntime<M> runtime) {
      return new Members<>() {
        @Override
        public CompletionStage<M> precreate(String memberId, SandboxSpec spec) {
          return runtime.precreate(memberId, spec);
        }

        @Override
        public CompletionStage<Void> discard(M member) {
          return runtime.discard(member);
        }

        @Override
        public String id(M member) {
          return runtime.memberId(member);
        }

        @Override
        public long creationMicros(M member) {
          return runtime.creationMicros(member);
        }
      };
    }
  }

  /** Runs a task later (the retry after a backoff). */
  public interface Timer {
    /** The JDK's shared delayer: no thread of our own to stop. */
    Timer DELAYED = (task, delayMs) -> CompletableFuture.delayedExecutor(delayMs,
        java.util.concurrent.TimeUnit.MILLISECONDS).execute(task);

    void schedule(Runnable task, long delayMs);
  }

  private static final class Pool<M> {
    SandboxSpec spec;
    int target;
    final Deque<M> ready = new ArrayDeque<>();
    int creating;
    int failures;
    long notBeforeMs;
    @Nullable String lastError;
    boolean retryScheduled;
    /** How long the last member's creation took (0: none yet). */
    long refillMicros;
    /** The last target or claim of this revision: a pool nobody asks for is drained after {@code idleMs}. */
    long wantedAtMs;

    Pool(SandboxSpec spec, long nowMs) {
      this.spec = spec;
      this.wantedAtMs = nowMs;
    }
  }

  /**
   * How long a pool stays without a target or claim of its revision. A worker hears of a function's deletion only
   * through its instances' deletions, and of a revision's end only when a newer one is created here: a pool nobody
   * asked for this long is drained. The leader tells every target above 0 again each minute (fixed and automatic
   * prewarms alike), so a pool it still wants is never drained for being idle.
   */
  public static final long DEFAULT_IDLE_MS = 600_000;

  private final Members<M> members;
  private final PoolBudget budget;
  private final Clock clock;
  private final Timer timer;
  private final AtomicLong sequence = new AtomicLong();
  /** Tells this run's member ids from a previous run's (one whose removal failed may still exist). */
  private final String runStamp;
  private final Object lock = new Object();
  private final Map<PoolKey, Pool<M>> pools = new HashMap<>();
  private final long idleMs;
  private boolean closed;
  private boolean sweepScheduled;

  public SandboxPool(Members<M> members, PoolBudget budget, Clock clock, Timer timer) {
    this(members, budget, clock, timer, DEFAULT_IDLE_MS);
  }

  public SandboxPool(Members<M> members, PoolBudget budget, Clock clock, Timer timer, long idleMs) {
    if (idleMs <= 0) {
      throw new IllegalArgumentException("pool idle time must be > 0 ms, was " + idleMs);
    }
    this.idleMs = idleMs;
    this.members = members;
    this.budget = budget;
    this.clock = clock;
    this.timer = timer;
    this.runStamp = Long.toString(clock.millis(), 36);
  }

  public PoolBudget budget() {
    return budget;
  }

  /**
   * Keeps {@code count} members of {@code spec}'s revision (0: none), and drains the pools of the function's older
   * revisions.
   */
  public void target(SandboxSpec spec, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("prewarm must be >= 0, was " + count);
    }
    List<M> surplus = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return;
      }
      surplus.addAll(drainLocked(spec.function(), spec.revision()));
      PoolKey key = new PoolKey(spec.function(), spec.revision());
      Pool<M> pool = pools.get(key);
      if (pool == null && count > 0) {
        pool = new Pool<>(spec, clock.millis());
        pools.put(key, pool);
      }
      if (pool != null) {
        pool.wantedAtMs = clock.millis();
        pool.spec = spec;
        pool.target = count;
        while (pool.ready.size() > count) {
          surplus.add(pool.ready.removeLast());
        }
        forgetIfIdle(key, pool);
      }
    }
    surplus.forEach(this::discard);
    scheduleSweep();
    refill();
  }

  /** Drains the pools nobody asked for within {@code idleMs}; runs every {@code idleMs} while there are pools. */
  void sweep() {
    List<M> surplus = new ArrayList<>();
    synchronized (lock) {
      sweepScheduled = false;
      long now = clock.millis();
      for (Iterator<Map.Entry<PoolKey, Pool<M>>> it = pools.entrySet().iterator(); it.hasNext(); ) {
        Pool<M> pool = it.next().getValue();
        if (now - pool.wantedAtMs >= idleMs) {
          surplus.addAll(pool.ready);
          it.remove();
        }
      }
    }
    if (!surplus.isEmpty()) {
      LOG.atInfo().setMessage("drained idle pools").addKeyValue("members", surplus.size())
          .addKeyValue("idleMs", idleMs).log();
    }
    surplus.forEach(this::discard);
    scheduleSweep();
  }

  private void scheduleSweep() {
    synchronized (lock) {
      if (closed || sweepScheduled || pools.isEmpty()) {
        return;
      }
      sweepScheduled = true;
    }
    timer.schedule(this::sweep, idleMs);
  }

  /**
   * A creation of a revision: drains the function's older pools (a newer revision exists), and hands out a member
   * of this one if it has one ready. The pool refills once the claimer calls {@link #claimSettled()}, not here.
   */
  public Optional<M> claim(String function, long revision) {
    List<M> surplus;
    M member = null;
    synchronized (lock) {
      surplus = drainLocked(function, revision);
      Pool<M> pool = pools.get(new PoolKey(function, revision));
      if (pool != null && !closed) {
        pool.wantedAtMs = clock.millis();
        member = pool.ready.pollFirst();
      }
    }
    surplus.forEach(this::discard);
    return Optional.ofNullable(member);
  }

  /**
   * The start of a claimed member has settled (ready or failed): refills now. Not at the claim: preparing a member
   * (snapshot, container, runc's create, CNI) would share the worker's CPUs and containerd with the start a caller is
   * waiting for, while the refill's own caller is the next claim, a creation time or more away.
   */
  public void claimSettled() {
    refill();
  }

  /** Removes every pool of a function (deleted). */
  public void drain(String function) {
    List<M> surplus;
    synchronized (lock) {
      surplus = drainLocked(function, Long.MAX_VALUE);
    }
    surplus.forEach(this::discard);
  }

  /** Every pool now, in key order. */
  public List<PoolStatus> status() {
    synchronized (lock) {
      return pools.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> new PoolStatus(e.getKey(), e.getValue().target, e.getValue().ready.size(), e.getValue().creating,
              e.getValue().failures, e.getValue().lastError, e.getValue().refillMicros))
          .toList();
    }
  }

  /**
   * Discards every ready member and starts no creation after this; members still being created are discarded as they
   * land. Completes once the ready members' discards have. The runtime's close is what bounds the whole: it stops the
   * creations under way and removes whatever the pool has not discarded ({@link PooledSandboxRuntime#close()}).
   */
  public CompletionStage<Void> close() {
    List<M> all = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      pools.values().forEach(p -> all.addAll(p.ready));
      pools.clear();
    }
    return CompletableFuture.allOf(all.stream().map(this::discard).toArray(CompletableFuture[]::new));
  }

  /** Takes the pools of {@code function} below {@code revision} out; returns their ready members to discard. */
  private List<M> drainLocked(String function, long revision) {
    List<M> out = new ArrayList<>();
    for (Iterator<Map.Entry<PoolKey, Pool<M>>> it = pools.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<PoolKey, Pool<M>> e = it.next();
      if (e.getKey().function().equals(function) && e.getKey().revision() < revision) {
        out.addAll(e.getValue().ready);
        it.remove();
      }
    }
    return out;
  }

  /** A pool with no target and nothing in it or under way is forgotten (its status with it). */
  private void forgetIfIdle(PoolKey key, Pool<M> pool) {
    if (pool.target == 0 && pool.ready.isEmpty() && pool.creating == 0) {
      pools.remove(key, pool);
    }
  }

  private void refill() {
    List<Map.Entry<PoolKey, SandboxSpec>> creations = new ArrayList<>();
    long retryInMs = -1;
    synchronized (lock) {
      if (closed) {
        return;
      }
      long now = clock.millis();
      List<Refill.View> views = pools.entrySet().stream().map(e -> new Refill.View(e.getKey(), e.getValue().target,
          e.getValue().spec.resources().memoryMiB(), e.getValue().ready.size() + e.getValue().creating,
          e.getValue().creating, e.getValue().failures, e.getValue().notBeforeMs)).toList();
      for (PoolKey key : Refill.plan(views, budget, now)) {
        Pool<M> pool = pools.get(key);
        pool.creating++;
        creations.add(Map.entry(key, pool.spec));
      }
      for (Pool<M> pool : pools.values()) {
        if (pool.notBeforeMs > now && !pool.retryScheduled && pool.ready.size() + pool.creating < pool.target) {
          pool.retryScheduled = true;
          retryInMs = retryInMs < 0 ? pool.notBeforeMs - now : Math.min(retryInMs, pool.notBeforeMs - now);
        }
      }
    }
    if (retryInMs >= 0) {
      timer.schedule(this::retry, retryInMs);
    }
    for (Map.Entry<PoolKey, SandboxSpec> creation : creations) {
      if (isClosed()) { // closed since the plan: none of it starts (the pools and their counts are gone)
        return;
      }
      PoolKey key = creation.getKey();
      String id = memberId(key);
      CompletionStage<M> stage;
      try {
        stage = members.precreate(id, creation.getValue());
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenComplete((member, failure) -> landed(key, member, failure));
    }
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void retry() {
    synchronized (lock) {
      pools.values().forEach(p -> p.retryScheduled = false);
    }
    refill();
  }

  private void landed(PoolKey key, @Nullable M member, @Nullable Throwable failure) {
    M surplus = null;
    synchronized (lock) {
      Pool<M> pool = pools.get(key);
      if (pool != null) {
        pool.creating--;
      }
      if (failure != null) {
        if (pool != null) {
          pool.failures++;
          pool.notBeforeMs = clock.millis() + Refill.retryDelayMs(pool.failures);
          pool.lastError = message(failure);
          LOG.atWarn().setMessage("pool member creation failed; retrying later").addKeyValue("function",
              key.function()).addKeyValue("revision", key.revision()).addKeyValue("failures", pool.failures)
              .addKeyValue("retryInMs", Refill.retryDelayMs(pool.failures)).addKeyValue("error", pool.lastError)
              .log();
          forgetIfIdle(key, pool);
        }
      } else if (member != null) {
        long creationMicros = members.creationMicros(member);
        if (pool != null && creationMicros > 0) {
          pool.refillMicros = creationMicros;
        }
        if (pool != null && !closed && pool.ready.size() < pool.target) {
          pool.ready.addLast(member);
          pool.failures = 0;
          pool.lastError = null;
          pool.notBeforeMs = 0;
        } else {
          surplus = member;
          if (pool != null) {
            forgetIfIdle(key, pool);
          }
        }
      }
    }
    if (surplus != null) {
      discard(surplus);
    }
    refill();
  }

  private CompletableFuture<Void> discard(M member) {
    try {
      return members.discard(member).toCompletableFuture().exceptionally(t -> {
        LOG.atWarn().setMessage("pool member discard failed; recovery removes it").addKeyValue("member",
            members.id(member)).addKeyValue("error", message(t)).log();
        return null;
      });
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(null);
    }
  }

  /** A container id for a new member, {@code pool-FUNCTION-rREVISION-RUN-N}: short enough for any function name. */
  private String memberId(PoolKey key) {
    String function = key.function().length() > 32 ? key.function().substring(0, 32) : key.function();
    return "pool-" + function + "-r" + key.revision() + "-" + runStamp + "-" + sequence.incrementAndGet();
  }

  private static String message(Throwable t) {
    Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    return String.valueOf(cause.getMessage());
  }
}
