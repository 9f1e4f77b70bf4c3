package io.pulse.common.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Refs for failures whose details are not for the caller: the caller gets the ref, the logs and the function's
 * token-protected status get the details under it.
 */
public final class FailureRefs {

  private FailureRefs() {}

  /** A fresh ref: 12 hex digits, enough not to collide among a function's recent failures. */
  public static String newRef() {
    return String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL);
  }
}
