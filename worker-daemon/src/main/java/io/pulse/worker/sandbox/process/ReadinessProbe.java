package io.pulse.worker.sandbox.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits until a TCP connect to {@code 127.0.0.1:port} succeeds. Polls every few milliseconds: a cold start is measured
 * in tens of milliseconds, and a 1 s probe period (Kubernetes' minimum) would dominate it.
 */
final class ReadinessProbe {

  /** How a wait ended. */
  enum Outcome { READY, GAVE_UP, TIMED_OUT }

  private static final long POLL_NANOS = 3_000_000;
  private static final int CONNECT_TIMEOUT_MS = 200;

  private ReadinessProbe() {}

  /**
   * Blocks (call on a virtual thread) until the port accepts, {@code giveUp} answers true (the process died or the
   * sandbox was deleted), or the deadline passes.
   */
  static Outcome await(int port, long deadlineNanos, BooleanSupplier giveUp) {
    while (true) {
      if (accepts(port)) {
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

  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
