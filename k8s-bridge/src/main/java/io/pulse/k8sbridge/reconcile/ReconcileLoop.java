package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pulse.common.retry.Backoff;
import io.pulse.k8sbridge.resources.DesiredState;
import io.pulse.k8sbridge.resources.MirrorConfig;
import io.pulse.k8sbridge.view.ClusterView;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconciliation passes on one virtual thread: at start, whenever {@link #trigger()} says the view changed
 * (coalesced), and every resync period (which also renews Leases and heartbeats). Nothing happens before the first
 * route snapshot: an empty view would delete every mirrored object. When the API server fails, the loop backs off
 * (doubling from 200 ms up to the configured maximum) and keeps going; it never ends on an error. When the server
 * refuses one object, that object alone backs off (1 s doubling to 5 min), the refusal is logged with the server's
 * reason and counted, and an object refused {@value #PERSISTENT_REFUSALS} times in a row is reported for /readyz.
 */
public final class ReconcileLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  /** Per object the API server refuses: the first retry comes soon, then the wait doubles up to the cap. */
  static final Duration FIRST_REFUSAL_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_REFUSAL_BACKOFF = Duration.ofMinutes(5);
  /** An object refused this many times in a row makes the bridge not ready (a one-off conflict does not). */
  public static final int PERSISTENT_REFUSALS = 3;
  /** The shortest wait between passes that retry refused objects. */
  private static final Duration MIN_RETRY_WAIT = Duration.ofMillis(100);

  private final Supplier<ClusterView> view;
  private final ClusterReader reader;
  private final PlanApplier applier;
  private final Diff diff;
  private final MirrorConfig config;
  private final InstantSource clock;
  private final Duration resync;
  private final Duration maxBackoff;
  private final ReconcileMetrics metrics;
  private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
  private volatile boolean closed;
  private volatile @Nullable Thread thread;
  private volatile @Nullable Instant lastSuccess;
  private volatile @Nullable String lastError;
  private final RefusalBackoff refusals = new RefusalBackoff(FIRST_REFUSAL_BACKOFF, MAX_REFUSAL_BACKOFF);
  private volatile List<String> persistentRefusals = List.of();

  public ReconcileLoop(Supplier<ClusterView> view, ClusterReader reader, PlanApplier applier, MirrorConfig config,
      InstantSource clock, Duration resync, Duration maxBackoff, ReconcileMetrics metrics) {
    this.view = view;
    this.reader = reader;
    this.applier = applier;
    this.diff = new Diff(config);
    this.config = config;
    this.clock = clock;
    this.resync = resync;
    this.maxBackoff = maxBackoff;
    this.metrics = metrics;
  }

  public void start() {
    thread = Thread.ofVirtual().name("pulse-k8s-reconcile").start(this::run);
  }

  /** The view changed: run a pass soon. Never blocks. */
  public void trigger() {
    wake.offer(Boolean.TRUE);
  }

  /** When the last pass that reached the API server completed, or null. */
  public @Nullable Instant lastSuccess() {
    return lastSuccess;
  }

  /**
   * The objects the API server refused {@value #PERSISTENT_REFUSALS} times in a row or more (and still does), each
   * described with the server's reason; empty when none.
   */
  public List<String> persistentRefusals() {
    return persistentRefusals;
  }

  /** Why the last pass failed, or null when it succeeded. */
  public @Nullable String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    Backoff backoff = Backoff.doubling(min(FIRST_BACKOFF, maxBackoff), maxBackoff);
    Duration wait = Duration.ZERO;
    // After a failed pass, no pass before this (System.nanoTime): a route update during the backoff wakes the loop,
    // which then waits out the rest instead of hitting a failing API server once per update.
    long backoffUntil = System.nanoTime();
    while (!closed) {
      try {
        wake.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      long left = backoffUntil - System.nanoTime();
      if (left > 0) {
        wait = Duration.ofNanos(left).plusMillis(1);
        continue;
      }
      ClusterView current = view.get();
      if (!current.synced()) {
        wait = resync;
        continue;
      }
      try {
        pass(current);
        backoff = backoff.reset();
        lastError = null;
        lastSuccess = clock.instant();
        wait = untilNextPass();
      } catch (KubernetesClientException | IllegalStateException e) {
        lastError = describe(e);
        metrics.failed();
        LOG.atWarn().setMessage("reconciliation failed; backing off").addKeyValue("status", e instanceof
            KubernetesClientException k ? k.getCode() : -1).addKeyValue("backoff_ms", backoff.delayMillis())
            .addKeyValue("error", lastError).log();
        wait = backoff.delay();
        backoffUntil = System.nanoTime() + wait.toNanos();
        backoff = backoff.next();
      } catch (RuntimeException e) {
        lastError = e.toString();
        metrics.failed();
        LOG.atError().setMessage("reconciliation pass crashed; backing off").addKeyValue("error", e.toString())
            .setCause(e).log();
        wait = backoff.delay();
        backoffUntil = System.nanoTime() + wait.toNanos();
        backoff = backoff.next();
      }
    }
  }

  private void pass(ClusterView current) {
    long started = System.nanoTime();
    ActualState actual = reader.read();
    Instant now = clock.instant();
    DesiredState desired = DesiredState.of(current, actual.hostTopology(), config, now);
    metrics.desired(desired);
    Plan plan = diff.plan(desired, actual, now);
    refusals.retain(plan.actions());
    // Objects the server refused wait out their backoff: a refusal costs a request now and then, not one per pass.
    Plan due = new Plan(plan.actions().stream().filter(a -> refusals.due(a, now)).toList());
    ApplyResult result = due.isEmpty() ? ApplyResult.NOTHING : applier.apply(due);
    for (Action action : result.applied()) {
      refusals.applied(action);
      metrics.wrote(action);
    }
    Instant after = clock.instant();
    result.refused().forEach(refusal -> refused(refusal, after));
    persistentRefusals = refusals.persistent(PERSISTENT_REFUSALS).stream().map(Refusal::describe).toList();
    double seconds = (System.nanoTime() - started) / 1e9;
    metrics.pass(result.refused().isEmpty() ? "ok" : "partial", seconds);
    if (!due.isEmpty()) {
      // Heartbeats alone (Lease renewals, Node Ready stamps) are routine: keep them out of the info log.
      boolean heartbeatsOnly = due.actions().stream().allMatch(a -> a instanceof Action.Update u
          && (u.kind() == ObjectKind.LEASE || (u.kind() == ObjectKind.NODE && !u.spec())));
      (heartbeatsOnly ? LOG.atDebug() : LOG.atInfo()).setMessage("reconciled").addKeyValue("version", current.version())
          .addKeyValue("creates", due.count(Action.Create.class))
          .addKeyValue("updates", due.count(Action.Update.class))
          .addKeyValue("recreates", due.count(Action.Recreate.class))
          .addKeyValue("deletes", due.count(Action.Delete.class))
          .addKeyValue("refused", result.refused().size())
          .addKeyValue("backing_off", plan.actions().size() - due.actions().size()).log();
    }
  }

  private void refused(Refusal refusal, Instant now) {
    RefusalBackoff.Entry entry = refusals.refused(refusal, now);
    metrics.refused(refusal);
    Action action = refusal.action();
    LOG.atWarn().setMessage("the API server refused an action; retrying that object after a backoff")
        .addKeyValue("action", action.getClass().getSimpleName()).addKeyValue("kind", action.kind())
        .addKeyValue("namespace", action.namespace()).addKeyValue("name", action.name())
        .addKeyValue("status", refusal.code()).addKeyValue("reason", refusal.reason())
        .addKeyValue("message", refusal.message()).addKeyValue("causes", String.join("; ", refusal.causes()))
        .addKeyValue("refused_in_a_row", entry.times())
        .addKeyValue("retry_in_ms", Duration.between(now, entry.retryAt()).toMillis()).log();
  }

  /** The resync period, or less when a refused object is due for its retry sooner. */
  private Duration untilNextPass() {
    Instant now = clock.instant();
    return refusals.nextRetry()
        .map(at -> Duration.between(now, at))
        .map(d -> d.compareTo(MIN_RETRY_WAIT) < 0 ? MIN_RETRY_WAIT : d)
        .filter(d -> d.compareTo(resync) < 0)
        .orElse(resync);
  }

  /** The message and its root cause (fabric8's own message says only which operation failed). */
  private static String describe(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
