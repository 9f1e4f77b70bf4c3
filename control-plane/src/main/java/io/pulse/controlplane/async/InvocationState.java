package io.pulse.controlplane.async;

import java.util.Locale;

/** Where an async invocation is: waiting (or waiting to retry), on its way, or done either way. */
public enum InvocationState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  /** Dead-lettered: every attempt failed, or the function is gone. */
  FAILED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED;
  }

  public static InvocationState fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
