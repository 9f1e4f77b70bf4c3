package io.pulse.controlplane.status;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One function's status on the workers.
 *
 * @param images the image's preparation on each worker it was asked of, by worker id
 * @param lastCreateFailure the last creation of a Regular Instance that failed, if any since the term began
 * @param lastExit the last sandbox of the function that exited on its own (crash, OOM kill), if any
 * @param recentFailures the last failures gateways answered callers with a ref for, newest first
 * @param lastPlacementFailure why the last Regular Instance wanted found no room (placement, or the worker's refusal);
 *     null once every instance wanted is placed and created, or none is wanted
 * @param pools the sandbox pools of the function on each worker, as the workers' latest heartbeats report them
 */
public record FunctionStatus(List<ImagePreparation> images, @Nullable CreateFailure lastCreateFailure,
    @Nullable SandboxExitNote lastExit, List<Failure> recentFailures, @Nullable PlacementFailure lastPlacementFailure,
    List<Pool> pools) {

  public static final FunctionStatus NONE = new FunctionStatus(List.of(), null, null, List.of(), null, List.of());

  public FunctionStatus {
    images = List.copyOf(images);
    recentFailures = List.copyOf(recentFailures);
    pools = List.copyOf(pools);
  }

  /** Worker id to the members of {@code revision} its pool holds ready; workers with none are left out. */
  public java.util.Map<String, Integer> readyPoolMembers(long revision) {
    if (pools.isEmpty()) {
      return java.util.Map.of(); // every function, every publish: no map for the usual case of no pools
    }
    java.util.Map<String, Integer> ready = new java.util.HashMap<>();
    pools.stream().filter(p -> p.revision() == revision && p.ready() > 0)
        .forEach(p -> ready.merge(p.workerId(), p.ready(), Integer::sum));
    return ready;
  }

  /**
   * A worker's pool of created-not-started sandboxes of one revision.
   *
   * @param failures creations failed in a row (the worker backs off between tries)
   * @param lastError the last failed creation's message (a bad image says why here); null after a success
   * @param refillMicros how long the pool's last member took to create (0: none yet); automatic sizing uses it
   */
  public record Pool(String workerId, String function, long revision, int target, int ready, int creating,
      int failures, @Nullable String lastError, long refillMicros) {

    /** A pool that has not created a member yet. */
    public Pool(String workerId, String function, long revision, int target, int ready, int creating, int failures,
        @Nullable String lastError) {
      this(workerId, function, revision, target, ready, creating, failures, lastError, 0);
    }
  }

  /**
   * The image on one worker.
   *
   * @param state {@code pulling}, {@code ready} or {@code failed}
   * @param error why it failed (the worker's message), null otherwise
   * @param pullMillis time the pull took; 0 when the image was there already or while pulling
   */
  public record ImagePreparation(String workerId, String image, String state, @Nullable String error,
      @Nullable String digest, double pullMillis, long atMillis) {}

  /**
   * @param code the gRPC status code the worker answered (e.g. NOT_FOUND for a missing image)
   * @param ref the ref under which the leader logged the failure (no caller saw this one)
   */
  public record CreateFailure(String instanceId, String workerId, String code, String message, long atMillis,
      String ref) {}

  /**
   * No worker had room for an instance.
   *
   * @param message what the instance needs and what the closest workers have free
   * @param sinceMillis the first failure of this run (placement is retried after a backoff)
   * @param atMillis the latest failure
   */
  public record PlacementFailure(String message, long sinceMillis, long atMillis) {}

  /**
   * @param reason {@code oom-killed}, {@code killed} or {@code exited}
   */
  public record SandboxExitNote(String instanceId, String workerId, String reason, int exitCode, String message,
      long atMillis) {}

  /**
   * A failure behind the ref a gateway answered a caller with (502/504): the caller saw only the ref.
   *
   * @param stage {@code create}, {@code deadline}, {@code forward} or {@code timeout}
   * @param source the data plane that answered the caller
   * @param code the worker's gRPC status code for creations; empty otherwise
   * @param message the worker's or the proxy's own words (a function's last log lines, an instance's address)
   */
  public record Failure(String ref, String function, String stage, String source, String instanceId,
      String workerId, String code, String message, long atMillis) {}
}
