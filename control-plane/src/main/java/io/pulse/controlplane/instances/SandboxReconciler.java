package io.pulse.controlplane.instances;

import io.pulse.controlplane.registry.FunctionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Compares what the control plane believes runs on one worker with what the worker says it runs. EMERGENCY sandboxes
 * belong to data planes and are ignored. Pending instances are left to their create call.
 *
 * <p>A listing may be delivered long after it was taken (a slow or retried heartbeat, a busy event loop), so an
 * instance it lacks is dropped only when the listing was taken after the worker recorded it: the listing's generation
 * at or above the instance's (see {@link WorkerListing}), however late it arrives. Where the worker does not stamp
 * generations, only once the instance has been ready for a grace period, which a late enough listing still defeats.
 *
 * <p>Adoption never takes a function above its {@code maxScale}: a worker declared dead and back later lists sandboxes
 * whose replacements already run elsewhere. The listed ones are the extras deleted, not the instances in the table:
 * those are in routes and may hold requests, while the returning worker's sandboxes left routing when it was declared
 * dead. Among the listed, the oldest are kept (the newest go first, as when scaling down). The autoscaler's own count
 * is no bound here: a new leader decides before every worker has re-registered, and would delete warm instances.
 */
public final class SandboxReconciler {

  /**
   * @param drop instances gone from the worker: forget them
   * @param dropAndDelete instances the worker lists as exited: forget them and delete them there
   * @param adopt ready REGULAR sandboxes of a function's current revision nobody knows: take them over
   * @param deleteUnknown REGULAR sandboxes nobody knows and nobody can use: delete them
   * @param deleteExcess ready sandboxes nobody knows that adopting would take above their function's maxScale
   */
  public record Result(List<String> drop, List<String> dropAndDelete, List<ReportedSandbox> adopt,
      List<String> deleteUnknown, List<String> deleteExcess) {

    public boolean isEmpty() {
      return drop.isEmpty() && dropAndDelete.isEmpty() && adopt.isEmpty() && deleteUnknown.isEmpty()
          && deleteExcess.isEmpty();
    }
  }

  /** Oldest first: the ones kept when a function cannot adopt them all. */
  private static final Comparator<ReportedSandbox> ADOPTION_ORDER =
      Comparator.comparingLong(ReportedSandbox::createdAtMillis).thenComparing(ReportedSandbox::instanceId);

  private SandboxReconciler() {}

  /**
   * @param onWorker instances the control plane places on this worker
   * @param listing what the worker lists, and the generation it was taken at
   * @param known ids the control plane knows or recently removed itself (never adopted nor deleted again)
   * @param graceMillis where the listing or the instance has no generation: a ready instance missing from a listing is
   *     dropped only once ready this long, since the listing may have been taken before the sandbox existed
   */
  public static Result reconcile(List<Instance> onWorker, WorkerListing listing, Predicate<String> known,
      Map<String, FunctionRecord> functions, long nowMillis, long graceMillis) {
    return reconcile(onWorker, listing, known, functions, f -> 0, nowMillis, graceMillis, true);
  }

  /**
   * @param registryComplete false while the registry may still lack functions or revisions (a new leader whose merge
   *     with the cluster has not finished): a sandbox of a function it does not know, or of a newer revision than it
   *     knows, is then left alone rather than deleted, and decided on a later report
   * @param present how many ready instances of a function's current revision the control plane has, on any worker:
   *     adoption fills only what is left up to its maxScale
   */
  public static Result reconcile(List<Instance> onWorker, WorkerListing listing, Predicate<String> known,
      Map<String, FunctionRecord> functions, ToIntFunction<String> present, long nowMillis, long graceMillis,
      boolean registryComplete) {
    Map<String, ReportedSandbox> listed = new HashMap<>();
    for (ReportedSandbox sandbox : listing.sandboxes()) {
      if (sandbox.kind() == ReportedSandbox.Kind.REGULAR) {
        listed.put(sandbox.instanceId(), sandbox);
      }
    }
    List<String> drop = new ArrayList<>();
    List<String> dropAndDelete = new ArrayList<>();
    for (Instance instance : onWorker) {
      if (instance.state() == InstanceState.PENDING) {
        continue;
      }
      ReportedSandbox sandbox = listed.get(instance.id());
      if (sandbox == null) {
        if (showsGone(listing, instance, nowMillis, graceMillis)) {
          drop.add(instance.id());
        }
      } else if (sandbox.status() == ReportedSandbox.Status.EXITED) {
        dropAndDelete.add(instance.id());
      }
    }
    List<ReportedSandbox> adoptable = new ArrayList<>();
    List<String> deleteUnknown = new ArrayList<>();
    for (ReportedSandbox sandbox : listed.values()) {
      if (known.test(sandbox.instanceId())) {
        continue;
      }
      FunctionRecord function = functions.get(sandbox.function());
      if (!registryComplete && (function == null || function.revision() < sandbox.revision())) {
        continue; // perhaps registered on another replica, not yet merged here
      }
      boolean current = function != null && function.revision() == sandbox.revision();
      if (sandbox.status() == ReportedSandbox.Status.EXITED || !current) {
        deleteUnknown.add(sandbox.instanceId());
      } else if (sandbox.status() == ReportedSandbox.Status.READY && sandbox.endpoint() != null) {
        adoptable.add(sandbox);
      }
      // STARTING and unknown: a create from a previous leader still under way; decide once it settles.
    }
    adoptable.sort(ADOPTION_ORDER);
    List<ReportedSandbox> adopt = new ArrayList<>();
    List<String> deleteExcess = new ArrayList<>();
    Map<String, Integer> room = new HashMap<>();
    for (ReportedSandbox sandbox : adoptable) {
      int left = room.computeIfAbsent(sandbox.function(), f -> room(functions.get(f), present.applyAsInt(f)));
      if (left > 0) {
        adopt.add(sandbox);
        room.put(sandbox.function(), left - 1);
      } else {
        deleteExcess.add(sandbox.instanceId());
      }
    }
    drop.sort(null);
    dropAndDelete.sort(null);
    deleteUnknown.sort(null);
    deleteExcess.sort(null);
    adopt.sort((a, b) -> a.instanceId().compareTo(b.instanceId()));
    return new Result(List.copyOf(drop), List.copyOf(dropAndDelete), List.copyOf(adopt), List.copyOf(deleteUnknown),
        List.copyOf(deleteExcess));
  }

  /**
   * Whether a listing that lacks a non-pending instance shows it gone. With both generations known, exactly: a listing
   * taken at or after the worker recorded the sandbox shows it unless it is gone, and one taken before says nothing of
   * it. Otherwise (an older worker) by time: a listing is taken to be newer once the instance has been ready the grace.
   */
  private static boolean showsGone(WorkerListing listing, Instance instance, long nowMillis, long graceMillis) {
    if (listing.generation() != WorkerListing.UNKNOWN && instance.generation() != WorkerListing.UNKNOWN) {
      return listing.generation() >= instance.generation();
    }
    return nowMillis - instance.readyAtMillis() >= graceMillis;
  }

  /** How many more instances a function may adopt: up to maxScale (0 = no bound). */
  private static int room(FunctionRecord function, int present) {
    int max = function.spec().scaling().maxScale();
    return max == 0 ? Integer.MAX_VALUE : Math.max(0, max - present);
  }
}
