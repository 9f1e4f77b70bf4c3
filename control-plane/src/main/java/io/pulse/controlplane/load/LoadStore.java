package io.pulse.controlplane.load;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The latest report of every data plane. A report replaces everything its data plane said before: a function absent
 * from it has no load there.
 */
public final class LoadStore {

  private record DataPlaneLoad(long reportedAtMillis, Map<String, FunctionLoadSample> functions) {}

  private static final LoadStore EMPTY = new LoadStore(Map.of(), Map.of());

  private final Map<String, DataPlaneLoad> dataPlanes;
  private final Map<String, LoadTotal> totals;

  private LoadStore(Map<String, DataPlaneLoad> dataPlanes, Map<String, LoadTotal> totals) {
    this.dataPlanes = dataPlanes;
    this.totals = totals;
  }

  public static LoadStore empty() {
    return EMPTY;
  }

  public LoadStore report(String dataPlaneId, long nowMillis, List<FunctionLoadSample> samples) {
    Map<String, FunctionLoadSample> byFunction = new HashMap<>();
    for (FunctionLoadSample sample : samples) {
      // A data plane sends one entry per function; tolerate duplicates by keeping the last.
      byFunction.put(sample.function(), sample);
    }
    Map<String, DataPlaneLoad> next = new HashMap<>(dataPlanes);
    next.put(dataPlaneId, new DataPlaneLoad(nowMillis, Map.copyOf(byFunction)));
    return of(next);
  }

  /** Forgets data planes whose last report is {@code maxAgeMillis} old or older. */
  public LoadStore expire(long nowMillis, long maxAgeMillis) {
    Map<String, DataPlaneLoad> next = new HashMap<>(dataPlanes);
    boolean changed = next.values().removeIf(load -> nowMillis - load.reportedAtMillis() >= maxAgeMillis);
    return changed ? of(next) : this;
  }

  public LoadStore remove(String dataPlaneId) {
    if (!dataPlanes.containsKey(dataPlaneId)) {
      return this;
    }
    Map<String, DataPlaneLoad> next = new HashMap<>(dataPlanes);
    next.remove(dataPlaneId);
    return of(next);
  }

  public LoadTotal total(String function) {
    return totals.getOrDefault(function, LoadTotal.ZERO);
  }

  /** Functions with a load entry at any data plane. */
  public Set<String> functions() {
    return totals.keySet();
  }

  public Set<String> dataPlanes() {
    return dataPlanes.keySet();
  }

  private static LoadStore of(Map<String, DataPlaneLoad> dataPlanes) {
    Map<String, LoadTotal> totals = new HashMap<>();
    for (DataPlaneLoad load : dataPlanes.values()) {
      for (FunctionLoadSample sample : load.functions().values()) {
        totals.merge(sample.function(), LoadTotal.of(sample), LoadTotal::plus);
      }
    }
    return new LoadStore(Map.copyOf(dataPlanes), Map.copyOf(totals));
  }
}
