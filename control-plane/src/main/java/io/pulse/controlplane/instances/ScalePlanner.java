package io.pulse.controlplane.instances;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Desired count versus instances, for one function. Instances being created count as present, so repeating a plan
 * before the creations answer never creates twice. A new revision gets its full count; old-revision instances keep
 * serving until new ones are ready, one retired per new one ready. Instances on a worker being drained are treated
 * like old-revision ones: replaced elsewhere first, retired as their replacements become ready.
 */
public final class ScalePlanner {

  /** Newest first: the instances least likely to be warm in caches go first. */
  private static final Comparator<Instance> REMOVAL_ORDER = Comparator.comparingLong(Instance::readyAtMillis)
      .thenComparing(Instance::id).reversed();

  private ScalePlanner() {}

  public static ScalePlan plan(long currentRevision, int desired, List<Instance> instances) {
    return plan(currentRevision, desired, instances, worker -> false);
  }

  /** @param leaving whether a worker is being drained */
  public static ScalePlan plan(long currentRevision, int desired, List<Instance> instances,
      Predicate<String> leaving) {
    List<Instance> readyCurrent = new ArrayList<>();
    List<Instance> readyOld = new ArrayList<>();
    int pendingCurrent = 0;
    for (Instance instance : instances) {
      boolean current = instance.revision() == currentRevision && !leaving.test(instance.workerId());
      switch (instance.state()) {
        case READY -> (current ? readyCurrent : readyOld).add(instance);
        case PENDING -> pendingCurrent += current ? 1 : 0;
        case DRAINING -> { }
      }
    }
    int create = Math.max(0, desired - readyCurrent.size() - pendingCurrent);
    List<String> drain = new ArrayList<>();
    // Pending excess is not cancelled: it is drained once ready if still in excess.
    pick(readyCurrent, readyCurrent.size() - desired, drain);
    int keepOld = Math.max(0, Math.min(readyOld.size(), desired - readyCurrent.size()));
    pick(readyOld, readyOld.size() - keepOld, drain);
    return create == 0 && drain.isEmpty() ? ScalePlan.NOTHING : new ScalePlan(create, drain);
  }

  private static void pick(List<Instance> candidates, int count, List<String> into) {
    if (count <= 0) {
      return; // the usual case, met on every creation answer: no sort of the function's instances
    }
    candidates.stream().sorted(REMOVAL_ORDER).limit(Math.max(0, count)).map(Instance::id).forEach(into::add);
  }
}
