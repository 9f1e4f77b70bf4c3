package io.pulse.worker.sandbox.process;

import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxExit;
import io.pulse.worker.sandbox.SandboxState;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One sandbox of the process runtime: its reported snapshot plus the process and the resources it holds. The lock
 * only orders "attach the process / become ready" against "abort" (a delete while starting); no I/O runs under it.
 */
final class ProcessSandbox {

  final String instanceId;
  final int port;
  final Path dir;
  /** Completes when creation is over: true if it succeeded, false if creation failed and already cleaned up. */
  final CompletableFuture<Boolean> settled = new CompletableFuture<>();

  private volatile Sandbox info;
  private @Nullable ProcessHandle handle;
  private boolean aborted;

  ProcessSandbox(Sandbox info, int port, Path dir) {
    this.instanceId = info.instanceId();
    this.info = info;
    this.port = port;
    this.dir = dir;
  }

  Sandbox info() {
    return info;
  }

  synchronized @Nullable ProcessHandle handle() {
    return handle;
  }

  /** Records the started process; false when the sandbox was deleted meanwhile (the caller then stops it). */
  synchronized boolean attach(ProcessHandle process) {
    if (aborted) {
      return false;
    }
    handle = process;
    return true;
  }

  synchronized void abort() {
    aborted = true;
  }

  synchronized boolean aborted() {
    return aborted;
  }

  /** STARTING -> READY unless deleted meanwhile. */
  synchronized boolean markReady() {
    if (aborted) {
      return false;
    }
    info = info.withState(SandboxState.READY);
    return true;
  }

  /** READY -> EXITED when the process ends on its own, with why. */
  synchronized void markExited(SandboxExit exit) {
    if (!aborted && info.state() == SandboxState.READY) {
      info = info.exited(exit);
    }
  }
}
