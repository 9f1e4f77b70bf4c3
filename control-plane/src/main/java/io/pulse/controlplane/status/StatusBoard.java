package io.pulse.controlplane.status;

import io.prometheus.metrics.core.metrics.Counter;
import io.pulse.controlplane.status.FunctionStatus.CreateFailure;
import io.pulse.controlplane.status.FunctionStatus.ImagePreparation;
import io.pulse.controlplane.status.FunctionStatus.SandboxExitNote;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Collects function statuses on the scheduler's context and hands out immutable copies. Not thread-safe: one context
 * owns it; readers get {@link #snapshot()} through the published cluster snapshot.
 */
public final class StatusBoard {

  private final Map<String, Map<String, ImagePreparation>> images = new HashMap<>();
  private final Map<String, CreateFailure> createFailures = new HashMap<>();
  private final Map<String, SandboxExitNote> exits = new HashMap<>();
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
  }

  public void forgetWorker(String workerId) {
    images.values().forEach(byWorker -> byWorker.remove(workerId));
  }

  public Map<String, FunctionStatus> snapshot() {
    Map<String, FunctionStatus> result = new HashMap<>();
    images.forEach((function, byWorker) -> result.put(function,
        new FunctionStatus(byWorker.values().stream().toList(), null, null)));
    createFailures.forEach((function, failure) -> result.merge(function,
        new FunctionStatus(java.util.List.of(), failure, null),
        (a, b) -> new FunctionStatus(a.images(), failure, a.lastExit())));
    exits.forEach((function, exit) -> result.merge(function, new FunctionStatus(java.util.List.of(), null, exit),
        (a, b) -> new FunctionStatus(a.images(), a.lastCreateFailure(), exit)));
    return Map.copyOf(result);
  }
}
