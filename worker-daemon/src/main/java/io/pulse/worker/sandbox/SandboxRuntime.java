package io.pulse.worker.sandbox;

import io.pulse.worker.sandbox.logs.LogLine;
import io.pulse.worker.sandbox.logs.LogQuery;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Runs sandboxes on this machine. Calls never block the caller: anything that waits returns a stage, completed on the
 * runtime's own threads. Failures are {@link SandboxException}s (or {@link IllegalArgumentException} for bad input).
 */
public interface SandboxRuntime {

  /** {@code process}, {@code fake}, later {@code containerd}: what the worker advertises to the control plane. */
  String name();

  /**
   * Creates and starts a sandbox and completes once it accepts connections. A failed creation leaves nothing behind.
   * An instance id that already exists fails with {@link SandboxException.Reason#ALREADY_EXISTS}; idempotency is the
   * caller's job.
   */
  CompletionStage<CreatedSandbox> create(String instanceId, SandboxKind kind, SandboxSpec spec);

  /**
   * Makes sure an image is present and unpacked, so that later creations do not pay for the pull. Runtimes without
   * images complete at once with {@link PreparedImage#NOT_APPLICABLE}. Fails with {@link SandboxException}
   * ({@code INVALID_SPEC} for a bad reference, {@code IMAGE_NOT_FOUND}, {@code UNAUTHORIZED}, {@code UNAVAILABLE}).
   */
  default CompletionStage<PreparedImage> prepareImage(String image) {
    return java.util.concurrent.CompletableFuture.completedFuture(PreparedImage.NOT_APPLICABLE);
  }

  /** Stops and removes a sandbox with all it holds. Completes with false when there was no such sandbox. */
  CompletionStage<Boolean> delete(String instanceId);

  /** Every sandbox this runtime holds now, starting ones included. In-memory, cheap. */
  List<Sandbox> list();

  Optional<Sandbox> find(String instanceId);

  /**
   * Re-adopts what a previous run of this worker left running and cleans up what is dead. Called once, before the
   * first create; completes with the adopted sandboxes.
   */
  CompletionStage<List<Sandbox>> recover();

  /**
   * Lines an instance printed (stdout and stderr together), from the files this worker keeps for it; empty when the
   * instance is unknown here. Runtimes that keep no such files fail with {@link SandboxException.Reason#UNSUPPORTED}.
   */
  default CompletionStage<Optional<List<LogLine>>> logs(String instanceId, LogQuery query) {
    return java.util.concurrent.CompletableFuture.failedFuture(new SandboxException(SandboxException.Reason.UNSUPPORTED,
        "the " + name() + " runtime does not serve instance logs"));
  }

  /** Deletes every sandbox and refuses new ones. Idempotent. */
  CompletionStage<Void> close();
}
