package io.pulse.controlplane.status;

import io.prometheus.metrics.core.metrics.Counter;
import io.pulse.controlplane.status.FunctionStatus.CreateFailure;
import io.pulse.controlplane.status.FunctionStatus.Failure;
import io.pulse.controlplane.status.FunctionStatus.ImagePreparation;
import io.pulse.controlplane.status.FunctionStatus.PlacementFailure;
import io.pulse.controlplane.status.FunctionStatus.Pool;
import io.pulse.controlplane.status.FunctionStatus.SandboxExitNote;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Collects function statuses on the scheduler's context and hands out immutable copies. Not thread-safe: one context
 * owns it; readers get {@link #snapshot()} through the published cluster snapshot.
 */
public final class StatusBoard {

  static final int RECENT_FAILURES = 20;

  private final Map<String, Map<String, ImagePreparation>> images = new HashMap<>();
  private final Map<String, CreateFailure> createFailures = new HashMap<>();
  private final Map<String, SandboxExitNote> exits = new HashMap<>();
  private final Map<String, ArrayDeque<Failure>> failures = new HashMap<>();
  private final Map<String, PlacementFailure> placementFailures = new HashMap<>();
  private final Map<String, List<Pool>> poolsByWorker = new HashMap<>();
  private final @Nullable Counter exitCounter;

  /** @param exitCounter sandbox exits by {@code reason}; null when not counted */
  public StatusBoard(@Nullable Counter exitCounter) {
    this.exitCounter = exitCounter;
  }

  public void image(String function, ImagePreparation preparation) {
    images.computeIfAbsent(function, k -> new LinkedHashMap<>()).put(preparation.workerId(), preparation);
  }

  /** The preparation of {@code function}'s image on a worker, if one was started. */
  public @Nullable ImagePreparation image(String function, String workerId) {
    Map<String, ImagePreparation> byWorker = images.get(function);
    return byWorker == null ? null : byWorker.get(workerId);
  }

  public void createFailed(String function, CreateFailure failure) {
    createFailures.put(function, failure);
  }

  /** A failure behind a ref; the function keeps its last {@link #RECENT_FAILURES}. */
  public void failed(Failure failure) {
    ArrayDeque<Failure> recent = failures.computeIfAbsent(failure.function(), k -> new ArrayDeque<>());
    if (recent.size() == RECENT_FAILURES) {
      recent.removeLast();
    }
    recent.addFirst(failure);
  }

  /** No worker had room for an instance of {@code function}; a run of failures keeps its first time. */
  public void placementFailed(String function, String message, long nowMillis) {
    PlacementFailure previous = placementFailures.get(function);
    placementFailures.put(function,
        new PlacementFailure(message, previous == null ? nowMillis : previous.sinceMillis(), nowMillis));
  }

  /** Every instance {@code function} wants is placed and created (or none is wanted): it no longer waits for room. */
  public void placementSettled(String function) {
    placementFailures.remove(function);
  }

  public void exited(String function, SandboxExitNote exit) {
    exits.put(function, exit);
    if (exitCounter != null) {
      exitCounter.labelValues(exit.reason()).inc();
    }
  }

  /** Forgets a deleted function, or a worker that left. */
  public void forgetFunction(String function) {
    images.remove(function);
    createFailures.remove(function);
    exits.remove(function);
    failures.remove(function);
    placementFailures.remove(function);
  }

  public void forgetWorker(String workerId) {
    images.values().forEach(byWorker -> byWorker.remove(workerId));
    poolsByWorker.remove(workerId);
  }

  /** The pools the workers report of {@code function}. */
  public List<Pool> pools(String function) {
    List<Pool> pools = new ArrayList<>();
    poolsByWorker.values().forEach(list -> list.stream().filter(p -> p.function().equals(function))
        .forEach(pools::add));
    return pools;
  }

  /** Whether any worker reports a pool of {@code function}. */
  public boolean hasPools(String function) {
    return poolsByWorker.values().stream().anyMatch(list -> list.stream().anyMatch(p -> p.function().equals(function)));
  }

  /**
   * A worker's pools as its latest heartbeat reports them (replacing the previous report); true when they differ from
   * it (heartbeats mostly repeat themselves: only a change is worth publishing).
   */
  public boolean pools(String workerId, List<Pool> pools) {
    List<Pool> previous = pools.isEmpty() ? poolsByWorker.remove(workerId)
        : poolsByWorker.put(workerId, List.copyOf(pools));
    return !pools.equals(previous == null ? List.of() : previous);
  }

  public Map<String, FunctionStatus> snapshot() {
    Set<String> functions = new HashSet<>(images.keySet());
    functions.addAll(createFailures.keySet());
    functions.addAll(exits.keySet());
    functions.addAll(failures.keySet());
    functions.addAll(placementFailures.keySet());
    Map<String, List<Pool>> pools = new HashMap<>();
    poolsByWorker.values().forEach(list -> list.forEach(pool ->
        pools.computeIfAbsent(pool.function(), k -> new ArrayList<>()).add(pool)));
    functions.addAll(pools.keySet());
    Map<String, FunctionStatus> result = new HashMap<>();
    for (String function : functions) {
      Map<String, ImagePreparation> byWorker = images.getOrDefault(function, Map.of());
      result.put(function, new FunctionStatus(List.copyOf(byWorker.values()), createFailures.get(function),
          exits.get(function), List.copyOf(failures.getOrDefault(function, new ArrayDeque<>())),
          placementFailures.get(function), pools.getOrDefault(function, List.of())));
    }
    return Map.copyOf(result);
  }
}
