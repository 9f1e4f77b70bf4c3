package io.pulse.controlplane.accounting;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Feeds one leader term's {@link Ledger} and turns what changed into metrics; publishes immutable snapshots at most
 * every {@code publishEveryMillis} (and on {@link #tick(long)} when something is left unpublished). Every method runs
 * on the control plane's context.
 */
public final class Accounting {

  /** Ended instances stay listed one by one this long. */
  public static final long RETENTION_MILLIS = 120_000;
  private static final int MAX_RETAINED_ENDED = 20_000;
  private static final long PUBLISH_EVERY_MILLIS = 250;

  private final Ledger ledger;
  private final AccountingMetrics metrics;
  private final AccountingMetrics.Term term;
  private long publishedAt = Long.MIN_VALUE;
  private boolean dirty;
  private ChangeObserver observer = (change, now) -> {};

  /** Sees every change as it is recorded (automatic pool sizing counts creations with it). */
  public interface ChangeObserver {
    void changed(LedgerChange change, long now);
  }

  public Accounting(AccountingMetrics metrics, long now) {
    this.ledger = new Ledger(now, RETENTION_MILLIS, MAX_RETAINED_ENDED);
    this.metrics = metrics;
    this.term = metrics.startTerm(ledger.snapshot(now));
    publishedAt = now;
  }

  public void observe(ChangeObserver observer) {
    this.observer = observer;
  }

  public void regularInstances(Collection<RegularFact> facts, long now) {
    record(ledger.observeRegular(facts, now), now);
  }

  /** The Regular Instances of {@code functions} now; those of other functions did not change. */
  public void regularInstances(Set<String> functions, Collection<RegularFact> facts, long now) {
    record(ledger.observeRegular(functions, facts, now), now);
  }

  public void usage(List<UsageSample> usage, List<ExpeditedSample> expedited, long now) {
    for (ExpeditedSample sample : expedited) {
      if (sample.counted() > 0) {
        metrics.expedited.labelValues("true").inc(sample.counted());
      }
      if (sample.expedited() > sample.counted()) {
        metrics.expedited.labelValues("false").inc(sample.expedited() - sample.counted());
      }
    }
    ledger.expedited(expedited);
    dirty |= !usage.isEmpty() || !expedited.isEmpty();
    record(ledger.usage(usage, now), now);
  }

  public void workerListing(String workerId, Collection<ListedSandbox> emergency, long now) {
    record(ledger.workerListing(workerId, emergency, now), now);
  }

  /** A worker's report of its pools: their members count as memory held (see {@link PoolHolding}). */
  public void pools(String workerId, Collection<PoolHolding> holdings, long now) {
    ledger.pools(workerId, holdings, now);
    dirty = true;
  }

  public void workerGone(String workerId, long now) {
    record(ledger.workerGone(workerId, now), now);
  }

  /** Folds old accounts and publishes what is left unpublished. */
  public void tick(long now) {
    ledger.prune(now);
    if (dirty) {
      publish(now);
    }
  }

  private void record(List<LedgerChange> changes, long now) {
    for (LedgerChange change : changes) {
      observer.changed(change, now);
      String kind = change.kind().label();
      switch (change) {
        case LedgerChange.Created created -> metrics.created.labelValues(kind).inc();
        case LedgerChange.Ready ready -> metrics.creationSeconds.labelValues(kind).observe(ready.creationSeconds());
        case LedgerChange.Ended ended -> metrics.lifetimeSeconds.labelValues(kind).observe(ended.lifetimeSeconds());
      }
    }
    if (!changes.isEmpty()) {
      dirty = true;
    }
    if (dirty && now - publishedAt >= PUBLISH_EVERY_MILLIS) {
      publish(now);
    }
  }

  private void publish(long now) {
    term.publish(ledger.snapshot(now));
    publishedAt = now;
    dirty = false;
  }
}
