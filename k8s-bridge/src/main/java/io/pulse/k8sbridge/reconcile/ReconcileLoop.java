package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pulse.k8sbridge.resources.DesiredState;
import io.pulse.k8sbridge.resources.MirrorConfig;
import io.pulse.k8sbridge.view.ClusterView;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
 * (doubling from 200 ms up to the configured maximum) and keeps going; it never ends on an error.
 */
public final class ReconcileLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  /** After a pass with refused writes: try again soon rather than after a whole resync period. */
  private static final Duration RETRY_SOON = Duration.ofSeconds(1);

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
    Duration backoff = FIRST_BACKOFF;
    Duration wait = Duration.ZERO;
    while (!closed) {
      try {
        wake.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      ClusterView current = view.get();
      if (!current.synced()) {
        wait = resync;
        continue;
      }
      try {
        ApplyResult result = pass(current);
        backoff = FIRST_BACKOFF;
        lastError = null;
        lastSuccess = clock.instant();
        wait = result.skipped().isEmpty() ? resync : RETRY_SOON;
      } catch (KubernetesClientException | IllegalStateException e) {
        lastError = describe(e);
        metrics.failed();
        LOG.atWarn().setMessage("reconciliation failed; backing off").addKeyValue("status", e instanceof
            KubernetesClientException k ? k.getCode() : -1).addKeyValue("backoff_ms", backoff.toMillis())
            .addKeyValue("error", lastError).log();
        wait = backoff;
        backoff = min(backoff.multipliedBy(2), maxBackoff);
        wake.clear(); // triggers do not shorten a backoff
      } catch (RuntimeException e) {
        lastError = e.toString();
        metrics.failed();
        LOG.atError().setMessage("reconciliation pass crashed; backing off").addKeyValue("error", e.toString())
            .setCause(e).log();
        wait = backoff;
        backoff = min(backoff.multipliedBy(2), maxBackoff);
      }
    }
  }

  private ApplyResult pass(ClusterView current) {
    long started = System.nanoTime();
    ActualState actual = reader.read();
    Instant now = clock.instant();
    DesiredState desired = DesiredState.of(current, actual.hostTopology(), config, now);
    metrics.desired(desired);
    Plan plan = diff.plan(desired, actual, now);
    ApplyResult result = plan.isEmpty() ? new ApplyResult(0, java.util.List.of()) : applier.apply(plan);
    double seconds = (System.nanoTime() - started) / 1e9;
    metrics.pass(result.skipped().isEmpty() ? "ok" : "partial", seconds);
    if (!plan.isEmpty()) {
      // Heartbeats alone (Lease renewals, Node Ready stamps) are routine: keep them out of the info log.
      boolean heartbeatsOnly = plan.actions().stream().allMatch(a -> a instanceof Action.Update u
          && (u.kind() == ObjectKind.LEASE || (u.kind() == ObjectKind.NODE && !u.spec())));
      (heartbeatsOnly ? LOG.atDebug() : LOG.atInfo()).setMessage("reconciled").addKeyValue("version", current.version())
          .addKeyValue("creates", plan.count(Action.Create.class))
          .addKeyValue("updates", plan.count(Action.Update.class))
          .addKeyValue("recreates", plan.count(Action.Recreate.class))
          .addKeyValue("deletes", plan.count(Action.Delete.class))
          .addKeyValue("skipped", result.skipped().size()).log();
    }
    return result;
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
