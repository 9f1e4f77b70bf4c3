package io.pulse.controlplane.instances;

import io.pulse.controlplane.placement.PlacementResult;
import io.pulse.controlplane.placement.PlacementView;
import io.pulse.controlplane.placement.ResourceRequest;
import io.pulse.controlplane.placement.RevisionKey;
import io.pulse.controlplane.placement.TentativePlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The lifecycle's decisions as pure functions of what the coordinator holds and the time: no table, no worker, no
 * timer. The coordinator folds events into its state, asks these, and hands the resulting commands to the applier.
 */
public final class LifecyclePlanner {

  /** How often a drained instance that still has requests in flight is looked at again. */
  static final long DRAIN_RECHECK_MILLIS = 200;

  private LifecyclePlanner() {}

  /**
   * For one function.
   *
   * @param createOn where each instance to create now goes, one worker id per instance (none while backing off)
   * @param drain ready instances to take out of routing
   * @param settled every instance wanted is placed and answered: none waits for room
   * @param noCapacity why the instances wanted beyond {@code createOn} could not be placed (the function backs off);
   *     null when every one wanted was placed
   */
  public record FunctionStep(List<String> createOn, List<String> drain, boolean settled,
      @Nullable String noCapacity) {

    public FunctionStep {
      createOn = List.copyOf(createOn);
      drain = List.copyOf(drain);
    }

    /** Whether the step wanted instances created (placed or not): the function's backoff is over. */
    public boolean creates() {
      return !createOn.isEmpty() || noCapacity != null;
    }
  }

  /**
   * @param revision the function's current revision: creations prefer workers holding ready pool members of it, and
   *     two creations of the step never count on the same member
   * @param retryAtMillis until when the function backs off after a failed creation ({@link Long#MIN_VALUE}: it does
   *     not)
   * @param placement the workers as placement sees them now; the step's creations are placed against it one after
   *     the other, each counted against its worker for the next (the view itself is not changed)
   * @param request what one instance of the function holds
   */
  public static FunctionStep function(RevisionKey revision, int desired, List<Instance> instances, Predicate<String> leaving,
      long retryAtMillis, long nowMillis, PlacementView placement, ResourceRequest request) {
    ScalePlan plan = ScalePlanner.plan(revision.revision(), desired, instances, leaving);
    if (plan.create() == 0) {
      boolean pending = instances.stream().anyMatch(i -> i.state() == InstanceState.PENDING);
      return new FunctionStep(List.of(), plan.drain(), !pending, null);
    }
    if (nowMillis < retryAtMillis) {
      return new FunctionStep(List.of(), plan.drain(), false, null);
    }
    TentativePlacement tentative = placement.tentative();
    List<String> createOn = new ArrayList<>(plan.create());
    for (int i = 0; i < plan.create(); i++) {
      switch (tentative.take(request, revision)) {
        case PlacementResult.Placed placed -> createOn.add(placed.workerId());
        case PlacementResult.NoCapacity none -> {
          // No worker takes one more now: the rest would find none either.
          return new FunctionStep(createOn, plan.drain(), false, none.reason());
        }
      }
    }
    return new FunctionStep(createOn, plan.drain(), false, null);
  }

  /** What a drain check does: delete the instance, or look again later. */
  public sealed interface DrainStep {
    record Delete() implements DrainStep {}

    record Recheck(long atMillis) implements DrainStep {}
  }

  /**
   * Requests already running may take up to the function's timeout: never cut them short, never wait longer.
   *
   * @param giveUpAtMillis drain start + drain time + the function's timeout
   */
  public static DrainStep drain(boolean inUse, long giveUpAtMillis, long nowMillis) {
    return inUse && nowMillis < giveUpAtMillis ? new DrainStep.Recheck(nowMillis + DRAIN_RECHECK_MILLIS)
        : new DrainStep.Delete();
  }

  /** When a drain begun now gives up waiting for requests: the drain time plus the function's timeout. */
  public static long drainBound(long nowMillis, long drainMillis, int timeoutSeconds) {
    return nowMillis + drainMillis + 1000L * timeoutSeconds;
  }
}
