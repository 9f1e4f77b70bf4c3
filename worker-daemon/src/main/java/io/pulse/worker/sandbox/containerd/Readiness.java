package io.pulse.worker.sandbox.containerd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits until a TCP connect to a sandbox succeeds. A claimed pool member's server listens a millisecond or two after
 * its start, and containerd's Start (during which we already probe) takes some 20 ms: so the probes come close
 * together at first (0.25 ms, 0.5 ms), then every millisecond for the first {@link #FAST_ATTEMPTS} (about 50 ms, a
 * refused connect costs microseconds), and every 3 ms after. A 3 ms poll lost about 1.5 ms of a pool hit.
 */
public final class Readiness {

  public enum Outcome { READY, GAVE_UP, TIMED_OUT }

  private static final long FIRST_PAUSE_NANOS = 250_000;
  static final long FAST_PAUSE_NANOS = 1_000_000;
  static final int FAST_ATTEMPTS = 50;
  static final long MAX_PAUSE_NANOS = 3_000_000;
  private static final int CONNECT_TIMEOUT_MS = 200;

  private Readiness() {}

  /** Blocks (virtual thread) until {@code host:port} accepts, {@code giveUp} says so, or the deadline passes. */
  public static Outcome await(String host, int port, long deadlineNanos, BooleanSupplier giveUp) {
    for (int attempt = 0; ; attempt++) {
      if (accepts(host, port)) {
        return Outcome.READY;
      }
      if (giveUp.getAsBoolean()) {
        return Outcome.GAVE_UP;
      }
      if (System.nanoTime() - deadlineNanos >= 0) {
        return Outcome.TIMED_OUT;
      }
      LockSupport.parkNanos(pauseNanos(attempt));
    }
  }

  /** The pause after the {@code attempt}-th failed probe (from 0). */
  static long pauseNanos(int attempt) {
    if (attempt < 2) {
      return FIRST_PAUSE_NANOS << attempt;
    }
    return attempt < FAST_ATTEMPTS ? FAST_PAUSE_NANOS : MAX_PAUSE_NANOS;
  }

  static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
