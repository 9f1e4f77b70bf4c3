package io.pulse.worker.sandbox.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Stops the processes of an instance: SIGTERM to all of them, a grace period, then SIGKILL to whatever is left. Which
 * processes belong to the instance is the caller's (its {@link Containment}'s) answer, asked again before SIGKILL.
 */
final class ProcessTree {

  private static final long POLL_NANOS = 5_000_000;
  private static final long KILL_WAIT_MS = 2_000;

  private ProcessTree() {}

  /** Blocks until the processes are gone or {@code graceMs} + a short SIGKILL wait passed. Call off the event loop. */
  static void terminate(Supplier<Set<ProcessHandle>> members, long graceMs) {
    // Snapshot before signalling: once a process dies its children are re-parented and no longer its descendants.
    Set<ProcessHandle> tree = members.get();
    tree.forEach(ProcessHandle::destroy);
    awaitGone(tree, graceMs);
    Set<ProcessHandle> survivors = new LinkedHashSet<>();
    for (ProcessHandle handle : tree) {
      if (isRunning(handle)) {
        survivors.add(handle);
        // Children forked during the grace period.
        handle.descendants().forEach(survivors::add);
      }
    }
    survivors.addAll(members.get());
    survivors.removeIf(handle -> !isRunning(handle));
    if (!survivors.isEmpty()) {
      survivors.forEach(ProcessHandle::destroyForcibly);
      awaitGone(survivors, KILL_WAIT_MS);
    }
  }

  static Set<ProcessHandle> snapshot(ProcessHandle root) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }

  /**
   * Alive and not a zombie. A re-parented grandchild that has exited stays a zombie until its new parent reaps it,
   * and some container init processes never do; {@link ProcessHandle#isAlive()} counts zombies as alive.
   */
  static boolean isRunning(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
      // Format: pid (comm) state ...; comm may contain spaces and parentheses, so look after the last ')'.
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      // No /proc entry: gone, or not Linux; trust isAlive.
      return handle.isAlive();
    }
  }

  private static void awaitGone(Set<ProcessHandle> handles, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (handles.stream().anyMatch(ProcessTree::isRunning)) {
      if (System.nanoTime() - deadline >= 0) {
        return;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
