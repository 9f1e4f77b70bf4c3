package io.pulse.worker.sandbox;

/**
 * Why a sandbox's process ended, as the worker reports it for an {@link SandboxState#EXITED} sandbox.
 *
 * @param reason what ended it
 * @param exitCode the process's exit status as the runtime saw it (128 + signal for a signal, by convention)
 * @param exitedAtMs when the worker learned of it (epoch milliseconds)
 * @param message a short detail for people: the signal, the memory limit
 */
public record SandboxExit(Reason reason, int exitCode, long exitedAtMs, String message) {

  /** What ended a sandbox. */
  public enum Reason {
    /** The process ended by itself; {@code exitCode} says how. */
    EXITED,
    /** The kernel killed it for exceeding its cgroup's memory limit. */
    OOM_KILLED,
    /** A signal that was not an OOM kill ended it. */
    KILLED
  }

  /**
   * Classifies an exit status: an OOM kill seen in the sandbox's cgroup wins, a status above 128 is taken as a
   * signal (128 + signal, as shells and containerd's shims report it), anything else as an exit by itself.
   *
   * @param memoryMiB the sandbox's memory limit, named in the OOM message (0: none known)
   */
  public static SandboxExit classify(int exitStatus, boolean oomKilled, int memoryMiB, long nowMs) {
    if (oomKilled) {
      return new SandboxExit(Reason.OOM_KILLED, exitStatus, nowMs, "oom: killed by its cgroup's memory limit"
          + (memoryMiB > 0 ? " of " + memoryMiB + " MiB" : ""));
    }
    if (exitStatus > 128 && exitStatus <= 128 + 64) {
      return new SandboxExit(Reason.KILLED, exitStatus, nowMs, "killed by signal " + (exitStatus - 128));
    }
    if (exitStatus < 0) {
      return new SandboxExit(Reason.EXITED, exitStatus, nowMs, "exited; status unknown");
    }
    return new SandboxExit(Reason.EXITED, exitStatus, nowMs, "exit status " + exitStatus);
  }
}
