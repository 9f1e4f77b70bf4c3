package io.pulse.worker.image;

/** An image that could not be made available, with a reason callers map to their own errors. */
public final class ImagePullException extends RuntimeException {

  /** Why the pull failed. */
  public enum Kind {
    /** The registry does not have it (a user error: retrying will not help). */
    NOT_FOUND,
    /** The reference itself is malformed. */
    BAD_REFERENCE,
    /** The registry refused our credentials. */
    UNAUTHORIZED,
    /** The registry or containerd cannot be reached, or answered nonsense (may work later). */
    UNAVAILABLE
  }

  private final Kind kind;

  public ImagePullException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ImagePullException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
