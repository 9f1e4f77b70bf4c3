package io.pulse.controlplane.instances;

import io.pulse.common.net.HostPort;
import org.jspecify.annotations.Nullable;

/**
 * A worker's answer to a creation, as the adapter translates it from the wire: the lifecycle never sees a transport
 * status, only whether the sandbox runs, certainly does not, or may.
 */
public sealed interface CreateAnswer {

  /**
   * The sandbox runs and accepts connections at {@code endpoint}.
   *
   * @param generation from which the worker's listings show it ({@link WorkerListing#UNKNOWN}: an older worker)
   */
  record Created(HostPort endpoint, long generation) implements CreateAnswer {

    /** From a worker that stamps no listing generation. */
    public Created(HostPort endpoint) {
      this(endpoint, WorkerListing.UNKNOWN);
    }
  }

  /**
   * The worker answered no: nothing runs.
   *
   * @param code the worker's reason as a short upper-case code (shown in the function's status)
   * @param noRoom what the worker's own ledger lacked room for, null when that was not the reason (its ledger also
   *     counts Emergency Instances, which placement does not see)
   */
  record Refused(String code, String message, @Nullable String noRoom) implements CreateAnswer {}

  /**
   * No answer that can be trusted (a deadline, a lost connection, an internal error): the worker may have created the
   * sandbox after the caller stopped waiting, so it is deleted to be sure.
   */
  record MayExist(String code, String message) implements CreateAnswer {}

  /** The code shown in a failed creation's status; none for a success. */
  default String code() {
    return switch (this) {
      case Created c -> "OK";
      case Refused r -> r.code();
      case MayExist m -> m.code();
    };
  }
}
