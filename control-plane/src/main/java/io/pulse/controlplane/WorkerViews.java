package io.pulse.controlplane;

import io.pulse.controlplane.api.ClusterView.WorkerView;
import io.pulse.controlplane.membership.WorkerState;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The readers' worker views, rebuilt only for the workers whose state or allocation changed since the last publish.
 * A publish comes every few milliseconds under a burst while a worker changes about once a heartbeat: rebuilding
 * every worker's view per publish was most of what the snapshot allocated. A view is reused while its worker's
 * {@link WorkerState} and {@link WorkerAllocations.Sum} are the same objects (both are replaced, never mutated), and
 * the whole list while every view is. Confined to the control plane's context.
 */
final class WorkerViews {

  private record Built(WorkerState state, WorkerAllocations.Sum sum, WorkerView view) {}

  private final Map<String, Built> built = new HashMap<>();
  private List<WorkerView> last = List.of();

  /** The views of {@code workers}, in their order. */
  List<WorkerView> of(List<WorkerState> workers, WorkerAllocations allocated) {
    WorkerView[] views = new WorkerView[workers.size()];
    boolean same = views.length == last.size();
    for (int i = 0; i < views.length; i++) {
      WorkerState state = workers.get(i);
      WorkerAllocations.Sum sum = allocated.of(state.id());
      Built previous = built.get(state.id());
      if (previous == null || previous.state() != state || previous.sum() != sum) {
        previous = new Built(state, sum, view(state, sum));
        built.put(state.id(), previous);
      }
      views[i] = previous.view();
      same = same && last.get(i) == views[i];
    }
    if (same) {
      return last;
    }
    if (built.size() > views.length) {
      built.keySet().retainAll(Arrays.stream(views).map(WorkerView::id).toList());
    }
    last = List.of(views);
    return last;
  }

  static WorkerView view(WorkerState state, WorkerAllocations.Sum sum) {
    return new WorkerView(state.id(), state.info().address(), state.info().hostname(), state.info().runtime(),
        state.info().cpuMillis(), state.info().memoryMiB(), sum.cpuMillis(), sum.memoryMiB(), sum.instances(),
        !state.alive() ? "dead" : state.draining() ? "draining" : "alive",
        Instant.ofEpochMilli(state.lastHeartbeatMillis()), state.info().poolMembers(), state.info().poolMemoryMiB());
  }
}
