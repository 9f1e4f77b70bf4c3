package io.pulse.controlplane.instances;

import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;

/**
 * A command to a worker beside its sandboxes' creations and deletions, decided by images/ or pools/ and sent only by
 * the {@link PlanApplier} (stamped with the term's epoch); its answer goes back to the decider as a
 * {@link CommandAnswer}.
 */
public sealed interface WorkerCommand {

  WorkerInfo worker();

  /** Make a function's image present and unpacked on a worker ({@code PrepareImage}). */
  record PrepareImage(WorkerInfo worker, String function, String image) implements WorkerCommand {}

  /** Set the pool target of the function's current revision on a worker ({@code SetPoolTarget}). */
  record SetPoolTarget(WorkerInfo worker, FunctionRecord function, int target) implements WorkerCommand {}
}
