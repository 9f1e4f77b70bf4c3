package io.pulse.controlplane.instances;

import java.util.List;
import java.util.function.Predicate;

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
   * @param create how many instances to place now (0 while backing off)
   * @param drain ready instances to take out of routing
   * @param settled every instance wanted is placed and answered: none waits for room
   */
  public record FunctionStep(int create, List<String> drain, boolean settled) {}

  /**
   * @param retryAtMillis until when the function backs off after a failed creation ({@link Long#MIN_VALUE}: it does
   *     not)
   */
  public static FunctionStep function(long revision, int desired, List<Instance> instances, Predicate<String> leaving,
      long retryAtMillis, long nowMillis) {
    ScalePlan plan = ScalePlanner.plan(revision, desired, instances, leaving);
    if (plan.create() == 0) {
      boolean pending = instances.stream().anyMatch(i -> i.state() == InstanceState.PENDING);
      return new FunctionStep(0, plan.drain(), !pending);
    }
    return new FunctionStep(nowMillis < retryAtMillis ? 0 : plan.create(), plan.drain(), false);
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
