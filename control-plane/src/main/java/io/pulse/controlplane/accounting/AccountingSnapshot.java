package io.pulse.controlplane.accounting;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ledger at one instant, immutable: accounts of live and recently ended instances by function, folded totals of
 * older ones (and of pools' held memory), expedited counts, what the pools hold now. {@link #summary(long)} is a pure
 * function of it and {@code now}.
 *
 * @param sinceMillis when accounting started (the current leader term)
 * @param takenAtMillis when the snapshot was taken; live instances are charged up to the {@code now} of a summary
 * @param pools what the workers' pools hold now (charged up to the {@code now} of a summary, like live instances)
 */
public record AccountingSnapshot(long sinceMillis, long takenAtMillis, Map<String, List<InstanceAccount>> instances,
    Map<String, Map<InstanceKind, Folded>> folded, Map<String, ExpeditedCount> expedited, List<PoolHolding> pools) {

  public static final AccountingSnapshot EMPTY = new AccountingSnapshot(0, 0, Map.of(), Map.of(), Map.of(),
      List.of());

  /** One function's (or the cluster's) totals, per kind and together. */
  public record FunctionSummary(Map<InstanceKind, Usage> byKind, Usage all, ExpeditedCount expedited) {}

  /** Every function's totals and the cluster's. */
  public record Summary(long sinceMillis, long atMillis, Map<String, FunctionSummary> functions,
      FunctionSummary total) {

    /** Instances created per second over the window (both kinds). */
    public double creationsPerSecond() {
      double seconds = (atMillis - sinceMillis) / 1e3;
      return seconds > 0 ? total.all().creations() / seconds : 0;
    }
  }

  public List<InstanceAccount> instancesOf(String function) {
    return instances.getOrDefault(function, List.of());
  }

  /** Totals with live instances charged up to {@code now}. */
  public Summary summary(long now) {
    Set<String> names = new HashSet<>(instances.keySet());
    names.addAll(folded.keySet());
    names.addAll(expedited.keySet());
    pools.forEach(h -> names.add(h.function()));
    Map<String, FunctionSummary> functions = new TreeMap<>();
    Map<InstanceKind, Folded> totalKinds = new EnumMap<>(InstanceKind.class);
    Map<InstanceKind, Integer> totalLive = new EnumMap<>(InstanceKind.class);
    ExpeditedCount totalExpedited = ExpeditedCount.ZERO;
    for (String name : names) {
      Map<InstanceKind, Folded> kinds = new EnumMap<>(InstanceKind.class);
      kinds.putAll(folded.getOrDefault(name, Map.of()));
      Map<InstanceKind, Integer> live = new EnumMap<>(InstanceKind.class);
      for (InstanceAccount account : instances.getOrDefault(name, List.of())) {
        kinds.merge(account.kind(), Folded.ZERO.plus(account, now), Folded::plus);
        if (account.live()) {
          live.merge(account.kind(), 1, Integer::sum);
        }
      }
      for (PoolHolding holding : pools) {
        if (holding.function().equals(name)) {
          kinds.merge(InstanceKind.POOL, holding.folded(now), Folded::plus);
          live.merge(InstanceKind.POOL, holding.members(), Integer::sum);
        }
      }
      ExpeditedCount count = expedited.getOrDefault(name, ExpeditedCount.ZERO);
      functions.put(name, summarize(kinds, live, count));
      kinds.forEach((kind, f) -> totalKinds.merge(kind, f, Folded::plus));
      live.forEach((kind, n) -> totalLive.merge(kind, n, Integer::sum));
      totalExpedited = totalExpedited.plus(count);
    }
    return new Summary(sinceMillis, now, functions, summarize(totalKinds, totalLive, totalExpedited));
  }

  private static FunctionSummary summarize(Map<InstanceKind, Folded> kinds, Map<InstanceKind, Integer> live,
      ExpeditedCount expedited) {
    Map<InstanceKind, Usage> byKind = new EnumMap<>(InstanceKind.class);
    Folded all = Folded.ZERO;
    int liveAll = 0;
    for (InstanceKind kind : InstanceKind.values()) {
      Folded f = kinds.getOrDefault(kind, Folded.ZERO);
      int n = live.getOrDefault(kind, 0);
      byKind.put(kind, usage(f, n));
      all = all.plus(f);
      liveAll += kind == InstanceKind.POOL ? 0 : n; // pool members are not instances
    }
    return new FunctionSummary(Map.copyOf(byKind), usage(all, liveAll), expedited);
  }

  private static Usage usage(Folded f, int live) {
    Double mean = f.timedCreations() > 0 ? f.creationMicros() / 1e3 / f.timedCreations() : null;
    return new Usage(f.heldMiBMillis() / 1e3, f.busyMiBMillis() / 1e3, f.creations(), mean, live);
  }

  /** Every account, for listings that span functions. */
  public List<InstanceAccount> all() {
    List<InstanceAccount> result = new ArrayList<>();
    instances.values().forEach(result::addAll);
    return result;
  }
}
