package io.pulse.controlplane.accounting;

import io.pulse.common.collect.ShardedMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-instance accounts of one leader term. No clock and no I/O: every input carries {@code now}, every call returns
 * what it changed, and {@link #snapshot(long)} hands out an immutable copy. Confined to one thread (the control
 * plane's context). Ended instances are kept one by one for {@code retentionMillis} (so the API can list recent
 * Emergency Instances), then folded into per-function totals.
 */
public final class Ledger {

  private final long sinceMillis;
  private final long retentionMillis;
  private final int maxRetainedEnded;
  private final Map<String, InstanceAccount> accounts = new LinkedHashMap<>();
  /**
   * The same accounts by function, in the same order, and the functions whose accounts changed since the last
   * {@link #snapshot}: a snapshot (every 250 ms) rebuilds only their lists, not a grouping of every account.
   */
  private final Map<String, Map<String, InstanceAccount>> byFunction = new HashMap<>();
  private final Set<String> changedFunctions = new HashSet<>();
  private ShardedMap<List<InstanceAccount>> frozen = ShardedMap.empty();
  /** Live Regular Instances by function, so a change to some functions is folded in without a pass over all. */
  private final Map<String, Set<String>> liveRegular = new HashMap<>();
  private final Set<String> liveEmergency = new LinkedHashSet<>();
  /** Emergency Instances some worker listing has shown: only those can be ended by missing from a listing. */
  private final Set<String> listed = new HashSet<>();
  private final Map<String, Map<InstanceKind, Folded>> folded = new HashMap<>();
  private final Map<String, long[]> expedited = new HashMap<>(); // function -> {expedited, counted}
  /** What each worker's pools hold since its last report: worker -> function -> holding. */
  private final Map<String, Map<String, PoolHolding>> pools = new HashMap<>();
  private int ended;

  /**
   * @param sinceMillis when this ledger starts accounting
   * @param retentionMillis how long ended instances stay listed one by one
   * @param maxRetainedEnded ended instances kept one by one at most (older ones fold first)
   */
  public Ledger(long sinceMillis, long retentionMillis, int maxRetainedEnded) {
    this.sinceMillis = sinceMillis;
    this.retentionMillis = retentionMillis;
    this.maxRetainedEnded = maxRetainedEnded;
  }

  /** The lifecycle's whole table of Regular Instances now: new ones start, missing ones end. */
  public List<LedgerChange> observeRegular(Collection<RegularFact> facts, long now) {
    return observeRegular(Set.copyOf(liveRegular.keySet()), facts, now);
  }

  /**
   * The Regular Instances of {@code functions} now (those of other functions unchanged): new ones start, missing
   * ones of these functions end. Costs O(their instances), not O(all instances).
   */
  public List<LedgerChange> observeRegular(Set<String> functions, Collection<RegularFact> facts, long now) {
    List<LedgerChange> changes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (RegularFact fact : facts) {
      seen.add(fact.id());
      observe(fact, changes);
    }
    for (String function : functions) {
      for (String id : List.copyOf(liveRegular.getOrDefault(function, Set.of()))) {
        if (!seen.contains(id)) {
          end(id, now, changes);
        }
      }
    }
    return changes;
  }

  private void observe(RegularFact fact, List<LedgerChange> changes) {
    InstanceAccount known = accounts.get(fact.id());
    boolean timed = fact.readyAtMillis() > 0 && !fact.adopted();
    long creationMicros = Math.max(0, fact.readyAtMillis() - fact.createdAtMillis()) * 1_000;
    if (known == null) {
      put(new InstanceAccount(fact.id(), fact.function(), InstanceKind.REGULAR,
          fact.workerId(), fact.memoryMiB(), fact.createdAtMillis(), timed ? creationMicros : null, 0, 0,
          fact.adopted()));
      liveRegular.computeIfAbsent(fact.function(), f -> new HashSet<>()).add(fact.id());
      if (!fact.adopted()) {
        changes.add(new LedgerChange.Created(InstanceKind.REGULAR, fact.function(), fact.workerId()));
      }
      if (timed) {
        changes.add(new LedgerChange.Ready(InstanceKind.REGULAR, fact.function(), creationMicros / 1e6));
      }
    } else if (known.live() && known.creationMicros() == null && timed) {
      put(known.withCreation(creationMicros));
      changes.add(new LedgerChange.Ready(InstanceKind.REGULAR, fact.function(), creationMicros / 1e6));
    }
  }

  /** Usage reported by a data plane; Emergency Instances the ledger has not seen yet start here. */
  public List<LedgerChange> usage(Collection<UsageSample> samples, long now) {
    List<LedgerChange> changes = new ArrayList<>();
    for (UsageSample sample : samples) {
      InstanceAccount known = accounts.get(sample.instanceId());
      if (sample.kind() == InstanceKind.REGULAR) {
        if (known != null) {
          put(known.withBusy(sample.busyMicros()));
        }
        continue; // a Regular Instance the table never showed: nothing to charge it to
      }
      if (known == null) {
        if (sample.createdAtMillis() <= 0) {
          continue; // no facts to open an account with
        }
        boolean timed = sample.creationMicros() > 0;
        known = new InstanceAccount(sample.instanceId(), sample.function(), InstanceKind.EMERGENCY,
            sample.workerId(), Math.max(0, sample.memoryMiB()), sample.createdAtMillis(),
            timed ? sample.creationMicros() : null, 0, sample.busyMicros(), false);
        put(known);
        liveEmergency.add(known.id());
        changes.add(new LedgerChange.Created(InstanceKind.EMERGENCY, known.function(), known.workerId()));
        if (timed) {
          changes.add(new LedgerChange.Ready(InstanceKind.EMERGENCY, known.function(), sample.creationMicros() / 1e6));
        }
      } else {
        InstanceAccount updated = known.withBusy(sample.busyMicros());
        if (updated.creationMicros() == null && sample.creationMicros() > 0) {
          updated = updated.withCreation(sample.creationMicros());
          changes.add(new LedgerChange.Ready(InstanceKind.EMERGENCY, known.function(),
              sample.creationMicros() / 1e6));
        }
        put(updated);
      }
      if (sample.endedAtMillis() > 0) {
        end(sample.instanceId(), sample.endedAtMillis(), changes);
      }
    }
    return changes;
  }

  /** Expedited requests a data plane reported. */
  public void expedited(Collection<ExpeditedSample> samples) {
    for (ExpeditedSample sample : samples) {
      long[] counts = expedited.computeIfAbsent(sample.function(), f -> new long[2]);
      counts[0] += sample.expedited();
      counts[1] += sample.counted();
    }
  }

  /**
   * A worker's whole listing of its Emergency Instances: unknown ones start (their creation latency comes with the
   * data plane's usage report), listed-before ones that are missing now have ended.
   */
  public List<LedgerChange> workerListing(String workerId, Collection<ListedSandbox> emergency, long now) {
    List<LedgerChange> changes = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (ListedSandbox sandbox : emergency) {
      present.add(sandbox.instanceId());
      InstanceAccount known = accounts.get(sandbox.instanceId());
      if (known == null) {
        put(new InstanceAccount(sandbox.instanceId(), sandbox.function(),
            InstanceKind.EMERGENCY, workerId, sandbox.memoryMiB(),
            sandbox.createdAtMillis() > 0 ? sandbox.createdAtMillis() : now, null, 0, 0, false));
        liveEmergency.add(sandbox.instanceId());
        changes.add(new LedgerChange.Created(InstanceKind.EMERGENCY, sandbox.function(), workerId));
      }
      listed.add(sandbox.instanceId());
    }
    for (String id : List.copyOf(liveEmergency)) {
      InstanceAccount account = accounts.get(id);
      if (account != null && account.workerId().equals(workerId) && listed.contains(id) && !present.contains(id)) {
        end(id, now, changes);
      }
    }
    return changes;
  }

  /**
   * A worker's whole report of its pools now ({@code members} per function, each of {@code memoryMiB}): what its pools
   * held since the previous report is charged up to {@code now}, and the new holdings run from {@code now}.
   */
  public void pools(String workerId, Collection<PoolHolding> reported, long now) {
    closePools(workerId, now);
    Map<String, PoolHolding> holdings = new HashMap<>();
    for (PoolHolding holding : reported) {
      if (holding.members() > 0 && holding.memoryMiB() > 0) {
        holdings.merge(holding.function(), new PoolHolding(workerId, holding.function(), holding.members(),
            holding.memoryMiB(), now), (a, b) -> new PoolHolding(workerId, a.function(), a.members() + b.members(),
            Math.max(a.memoryMiB(), b.memoryMiB()), now));
      }
    }
    if (!holdings.isEmpty()) {
      pools.put(workerId, holdings);
    }
  }

  private void closePools(String workerId, long now) {
    Map<String, PoolHolding> previous = pools.remove(workerId);
    if (previous != null) {
      previous.values().forEach(h -> folded.computeIfAbsent(h.function(), f -> new EnumMap<>(InstanceKind.class))
          .merge(InstanceKind.POOL, h.folded(now), Folded::plus));
    }
  }

  /** A worker died or left: whatever Emergency Instances it ran have ended, and its pools with them. */
  public List<LedgerChange> workerGone(String workerId, long now) {
    closePools(workerId, now);
    List<LedgerChange> changes = new ArrayList<>();
    for (String id : List.copyOf(liveEmergency)) {
      InstanceAccount account = accounts.get(id);
      if (account != null && account.workerId().equals(workerId)) {
        end(id, now, changes);
      }
    }
    return changes;
  }

  /** Folds ended instances older than the retention (or beyond the retained count) into the totals. */
  public void prune(long now) {
    if (ended == 0) {
      return;
    }
    int excess = Math.max(0, ended - maxRetainedEnded);
    var iterator = accounts.values().iterator();
    while (iterator.hasNext()) {
      InstanceAccount account = iterator.next();
      if (account.live()) {
        continue;
      }
      if (excess > 0 || account.endedAtMillis() + retentionMillis <= now) {
        fold(account, now);
        iterator.remove();
        forget(account);
        listed.remove(account.id());
        ended--;
        excess = Math.max(0, excess - 1);
      }
    }
  }

  /** An immutable copy; totals at any instant come from {@link AccountingSnapshot#summary(long)}. */
  public AccountingSnapshot snapshot(long now) {
    if (!changedFunctions.isEmpty()) {
      Map<String, List<InstanceAccount>> puts = new HashMap<>();
      List<String> gone = new ArrayList<>();
      for (String function : changedFunctions) {
        Map<String, InstanceAccount> ofFunction = byFunction.get(function);
        if (ofFunction == null) {
          gone.add(function);
        } else {
          puts.put(function, List.copyOf(ofFunction.values()));
        }
      }
      changedFunctions.clear();
      frozen = frozen.with(puts, gone);
    }
    Map<String, Map<InstanceKind, Folded>> foldedCopy = new HashMap<>();
    folded.forEach((function, kinds) -> foldedCopy.put(function, Map.copyOf(new EnumMap<>(kinds))));
    Map<String, ExpeditedCount> expeditedCopy = new HashMap<>();
    expedited.forEach((function, counts) -> expeditedCopy.put(function, new ExpeditedCount(counts[0], counts[1])));
    List<PoolHolding> holdings = new ArrayList<>();
    pools.values().forEach(perWorker -> holdings.addAll(perWorker.values()));
    return new AccountingSnapshot(sinceMillis, now, frozen, Map.copyOf(foldedCopy),
        Map.copyOf(expeditedCopy), List.copyOf(holdings));
  }

  /** Every change of an account goes through here, so that the next snapshot rebuilds its function's list. */
  private void put(InstanceAccount account) {
    accounts.put(account.id(), account);
    byFunction.computeIfAbsent(account.function(), f -> new LinkedHashMap<>()).put(account.id(), account);
    changedFunctions.add(account.function());
  }

  private void forget(InstanceAccount account) {
    Map<String, InstanceAccount> ofFunction = byFunction.get(account.function());
    if (ofFunction != null && ofFunction.remove(account.id()) != null && ofFunction.isEmpty()) {
      byFunction.remove(account.function());
    }
    changedFunctions.add(account.function());
  }

  private void end(String id, long at, List<LedgerChange> changes) {
    InstanceAccount account = accounts.get(id);
    if (account == null || !account.live()) {
      return;
    }
    InstanceAccount done = account.endedAt(at);
    put(done);
    Set<String> ofFunction = liveRegular.get(done.function());
    if (ofFunction != null && ofFunction.remove(id) && ofFunction.isEmpty()) {
      liveRegular.remove(done.function());
    }
    liveEmergency.remove(id);
    ended++;
    changes.add(new LedgerChange.Ended(done.kind(), done.function(), done.lifetimeMillis(at) / 1e3));
  }

  private void fold(InstanceAccount account, long now) {
    folded.computeIfAbsent(account.function(), f -> new EnumMap<>(InstanceKind.class))
        .merge(account.kind(), Folded.ZERO.plus(account, now), Folded::plus);
  }
}
