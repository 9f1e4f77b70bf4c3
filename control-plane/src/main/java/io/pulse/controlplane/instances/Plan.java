package io.pulse.controlplane.instances;

import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import java.util.List;

/**
 * What the coordinator decided while folding one event, for the {@link PlanApplier} to carry out: the commands to
 * workers, each with where it goes, and when the coordinator wants to be woken next (its earliest deadline).
 *
 * @param creates new instances with their placements (already in the table as pending)
 * @param deletes sandboxes to delete, each with why
 * @param wakeAtMillis the earliest deadline in the coordinator's state, {@link Long#MAX_VALUE} for none
 */
public record Plan(List<Create> creates, List<Delete> deletes, long wakeAtMillis) {

  public Plan {
    creates = List.copyOf(creates);
    deletes = List.copyOf(deletes);
  }

  public boolean isEmpty() {
    return creates.isEmpty() && deletes.isEmpty();
  }

  public record Create(String instanceId, FunctionRecord function, WorkerInfo worker) {}

  public record Delete(String instanceId, WorkerInfo worker, Why why) {}

  /** Why a sandbox is deleted (for logs and for what its answer means to the coordinator). */
  public enum Why {
    /** Out of routing, and its requests are done (or its bound passed). */
    DRAINED,
    /** Its creation answered after it stopped being wanted (function deleted, worker declared dead, shutdown). */
    UNWANTED,
    /** Its creation did not answer in a way to trust: it may run. */
    MAY_EXIST,
    /** Its worker lists it as exited. */
    EXITED,
    /** Its worker lists it and nobody can use it (unknown function, old revision). */
    UNKNOWN,
    /** Adopting it would take its function above maxScale. */
    EXCESS,
    /** The control plane is shutting down and takes its instances with it. */
    SHUTDOWN
  }
}
