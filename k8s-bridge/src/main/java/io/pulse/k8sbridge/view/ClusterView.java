package io.pulse.k8sbridge.view;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One immutable snapshot of Pulse as the bridge knows it, swapped whole on every change. {@link #EMPTY} (not
 * {@link #synced()}) means no snapshot arrived yet: the bridge must then not reconcile, or it would delete everything.
 */
public record ClusterView(Map<String, WorkerView> workers, Map<String, FunctionView> functions, long version,
    boolean synced) {

  public static final ClusterView EMPTY = new ClusterView(Map.of(), Map.of(), 0, false);

  public ClusterView {
    workers = Map.copyOf(workers);
    functions = Map.copyOf(functions);
  }

  /**
   * Applies one update of the route stream.
   *
   * @param workers the whole new worker list, or null when unchanged
   */
  public ClusterView apply(boolean fullSnapshot, Collection<FunctionView> upserts, Collection<String> removed,
      @Nullable List<WorkerView> workers, long version) {
    Map<String, FunctionView> nextFunctions = fullSnapshot ? new LinkedHashMap<>() : new LinkedHashMap<>(functions);
    removed.forEach(nextFunctions::remove);
    upserts.forEach(f -> nextFunctions.put(f.name(), f));
    Map<String, WorkerView> nextWorkers;
    if (workers != null) {
      nextWorkers = new LinkedHashMap<>();
      workers.forEach(w -> nextWorkers.put(w.workerId(), w));
    } else {
      nextWorkers = fullSnapshot ? Map.of() : this.workers;
    }
    return new ClusterView(nextWorkers, nextFunctions, version, synced || fullSnapshot);
  }
}
