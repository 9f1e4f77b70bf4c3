package io.pulse.worker.sandbox.fake;

import io.pulse.common.net.HostPort;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxException.Reason;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxRuntime;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import io.pulse.worker.sandbox.Timings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FAKE runtime: sandboxes are entries in a map, with no process and nothing listening on their endpoints. A sandbox
 * becomes ready {@code readyDelayMs} after its creation (0: at once). Accepts image-only and command specs alike. For
 * simulating workers at scale (bench) and testing the control plane; never for serving real traffic.
 */
public final class FakeSandboxRuntime implements SandboxRuntime {

  private final String advertiseHost;
  private final long readyDelayMs;
  private final int portRangeStart;
  private final int portRangeSize;
  private final AtomicInteger nextPort = new AtomicInteger();
  private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  public FakeSandboxRuntime(String advertiseHost, long readyDelayMs, int portRangeStart, int portRangeEnd) {
    if (readyDelayMs < 0) {
      throw new IllegalArgumentException("readyDelayMs must be >= 0, was " + readyDelayMs);
    }
    if (portRangeStart < 1 || portRangeEnd > 65535 || portRangeStart > portRangeEnd) {
      throw new IllegalArgumentException("portRange must satisfy 1 <= start <= end <= 65535, was "
          + portRangeStart + ".." + portRangeEnd);
    }
    this.advertiseHost = advertiseHost;
    this.readyDelayMs = readyDelayMs;
    this.portRangeStart = portRangeStart;
    this.portRangeSize = portRangeEnd - portRangeStart + 1;
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public CompletionStage<CreatedSandbox> create(String instanceId, SandboxKind kind, SandboxSpec spec) {
    if (instanceId.isBlank()) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.INVALID_SPEC, "instanceId must not be empty"));
    }
    if (closed.get()) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.UNAVAILABLE, "the fake runtime is closed"));
    }
    long t0 = System.nanoTime();
    int port = portRangeStart + Math.floorMod(nextPort.getAndIncrement(), portRangeSize);
    Sandbox starting = new Sandbox(instanceId, spec.function(), spec.revision(), kind,
        new HostPort(advertiseHost, port), System.currentTimeMillis(), spec.resources(), SandboxState.STARTING);
    if (sandboxes.putIfAbsent(instanceId, starting) != null) {
      return CompletableFuture.failedFuture(
          new SandboxException(Reason.ALREADY_EXISTS, "instance " + instanceId + " already exists"));
    }
    if (readyDelayMs == 0) {
      return CompletableFuture.completedFuture(becomeReady(starting, t0));
    }
    Executor later = CompletableFuture.delayedExecutor(readyDelayMs, TimeUnit.MILLISECONDS);
    return CompletableFuture.supplyAsync(() -> becomeReady(starting, t0), later);
  }

  private CreatedSandbox becomeReady(Sandbox starting, long t0) {
    Sandbox ready = starting.withState(SandboxState.READY);
    if (!sandboxes.replace(starting.instanceId(), starting, ready)) {
      throw new SandboxException(Reason.ABORTED, "instance " + starting.instanceId() + " was deleted while starting");
    }
    long total = (System.nanoTime() - t0) / 1_000;
    return new CreatedSandbox(ready, new Timings(0, 0, 0, 0, total, total));
  }

  @Override
  public CompletionStage<Boolean> delete(String instanceId) {
    return CompletableFuture.completedFuture(sandboxes.remove(instanceId) != null);
  }

  @Override
  public List<Sandbox> list() {
    return List.copyOf(sandboxes.values());
  }

  @Override
  public Optional<Sandbox> find(String instanceId) {
    return Optional.ofNullable(sandboxes.get(instanceId));
  }

  @Override
  public CompletionStage<List<Sandbox>> recover() {
    // Nothing survives a restart of a fake.
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public CompletionStage<Void> close() {
    closed.set(true);
    sandboxes.clear();
    return CompletableFuture.completedFuture(null);
  }

  /** Simulates a sandbox whose process died: it is reported EXITED until deleted. False if there is no such one. */
  public boolean markExited(String instanceId) {
    return sandboxes.computeIfPresent(instanceId, (id, s) -> s.withState(SandboxState.EXITED)) != null;
  }
}
