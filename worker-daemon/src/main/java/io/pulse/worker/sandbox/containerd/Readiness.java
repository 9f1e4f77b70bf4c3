package io.pulse.worker.sandbox.containerd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits until a TCP connect to a sandbox succeeds, polling every few milliseconds (cold starts are short). */
final class Readiness {

  enum Outcome { READY, GAVE_UP, TIMED_OUT }

  private static final long POLL_NANOS = 3_000_000;
  private static final int CONNECT_TIMEOUT_MS = 200;

  private Readiness() {}

  /** Blocks (virtual thread) until {@code host:port} accepts, {@code giveUp} says so, or the deadline passes. */
  static Outcome await(String host, int port, long deadlineNanos, BooleanSupplier giveUp) {
    while (true) {
      if (accepts(host, port)) {
        return Outcome.READY;
      }
      if (giveUp.getAsBoolean()) {
        return Outcome.GAVE_UP;
      }
      if (System.nanoTime() - deadlineNanos >= 0) {
        return Outcome.TIMED_OUT;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
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
