package io.pulse.controlplane.status;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One function's status on the workers.
 *
 * @param images the image's preparation on each worker it was asked of, by worker id
 * @param lastCreateFailure the last creation of a Regular Instance that failed, if any since the term began
 * @param lastExit the last sandbox of the function that exited on its own (crash, OOM kill), if any
 */
public record FunctionStatus(List<ImagePreparation> images, @Nullable CreateFailure lastCreateFailure,
    @Nullable SandboxExitNote lastExit) {

  public static final FunctionStatus NONE = new FunctionStatus(List.of(), null, null);

  public FunctionStatus {
    images = List.copyOf(images);
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

  /** @param code the gRPC status code the worker answered (e.g. NOT_FOUND for a missing image) */
  public record CreateFailure(String instanceId, String workerId, String code, String message, long atMillis) {}

  /**
   * @param reason {@code oom-killed}, {@code killed} or {@code exited}
   */
  public record SandboxExitNote(String instanceId, String workerId, String reason, int exitCode, String message,
      long atMillis) {}
}
