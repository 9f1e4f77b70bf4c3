package io.pulse.controlplane.instances;

import java.util.List;

/**
 * What a worker lists in a registration, a heartbeat or a {@code ListSandboxes} answer, and the generation it was taken
 * at. The worker stamps every creation's answer with a generation drawn once the sandbox is in its table, and every
 * listing with one drawn before reading the table, from one sequence that grows across its restarts: a listing at or
 * above an instance's generation shows it unless it is gone, and one below may predate it, however late it arrives.
 *
 * @param generation {@link #UNKNOWN} from a worker that does not say (older than listing generations)
 */
public record WorkerListing(long generation, List<ReportedSandbox> sandboxes) {

  /** What an older worker sends, and what an answer from one leaves on an instance. */
  public static final long UNKNOWN = 0;

  public WorkerListing {
    sandboxes = List.copyOf(sandboxes);
  }

  /** A listing from a worker that stamps none. */
  public static WorkerListing unstamped(List<ReportedSandbox> sandboxes) {
    return new WorkerListing(UNKNOWN, sandboxes);
  }
}
