package io.pulse.controlplane.api;

import org.jspecify.annotations.Nullable;

/** A request the API refuses with a given status; {@link #field()} names the input field at fault, if one is. */
final class ApiException extends RuntimeException {

  private final int status;
  private final @Nullable String field;

  ApiException(int status, String message, @Nullable String field) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  ApiException(int status, String message) {
    this(status, message, null);
  }

  int status() {
    return status;
  }

  @Nullable String field() {
    return field;
  }
}
