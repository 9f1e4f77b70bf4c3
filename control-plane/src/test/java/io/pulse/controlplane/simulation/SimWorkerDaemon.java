package io.pulse.controlplane.simulation;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.instances.CreateAnswer;
import io.pulse.controlplane.instances.ReportedSandbox;
import io.pulse.controlplane.instances.WorkerListing;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.placement.ResourceRequest;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.service.EpochGuard;
import io.pulse.worker.service.ListingGenerations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A simulated worker daemon: sandboxes in memory, the real {@link EpochGuard} over a highest epoch kept on its "disk"
 * across restarts, the real {@link ListingGenerations} on the simulation's clock (a new one per run of the daemon, as
 * after a real restart), Emergency Instances with leases that it reaps once their data plane stops renewing them.
 */
final class SimWorkerDaemon {

  static final int CPU_MILLIS = 2_000;
  static final ResourceRequest SIZE = new ResourceRequest(100, 64);

  /** One sandbox; {@code creator} and {@code leaseUntil} only for Emergency Instances. */
  record Sandbox(String id, String function, long revision, SandboxKind kind, boolean ready, long createdAt,
      String creator, long leaseUntil) {}

  final String id;
  final WorkerInfo info;
  boolean alive = true;
  int incarnation;
  /** Durable: what the guard persisted (the real worker's data-dir file). */
  long persisted;
  EpochGuard guard = new EpochGuard(0, epoch -> persisted = epoch);
  private final LongSupplier clockMicros;
  private ListingGenerations generations;
  final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
  /** The replica that last answered a heartbeat or the leader it named (null: ask any), and when. */
  @Nullable String leaderHint;
  long answeredAt;

  /** @param clockMillis the simulation's clock, which stands in for the worker's wall clock */
  SimWorkerDaemon(String id, LongSupplier clockMillis) {
    this.id = id;
    this.info = new WorkerInfo(id, id + ":1", "host-" + id, "process", CPU_MILLIS, 64 * 1024);
    this.clockMicros = () -> clockMillis.getAsLong() * 1_000;
    this.generations = new ListingGenerations(clockMicros);
  }

  void kill() {
    alive = false;
    incarnation++;
  }

  /** Back from a crash: its sandboxes survived (a containerd host) or not (a process runtime). */
  void restart(boolean keepSandboxes) {
    alive = true;
    incarnation++;
    guard = new EpochGuard(persisted, epoch -> persisted = epoch);
    generations = new ListingGenerations(clockMicros);
    if (keepSandboxes) {
      // Starting ones did not survive the daemon: only running sandboxes are found again.
      sandboxes.values().removeIf(s -> !s.ready());
    } else {
      sandboxes.clear();
    }
  }

  void pointedTo(@Nullable String replica, long now) {
    leaderHint = replica;
    answeredAt = now;
  }

  int cpuUsed() {
    return sandboxes.size() * SIZE.cpuMillis();
  }

  /**
   * A REGULAR creation. Answers through {@code answer} now (refusal) or via {@code started} once the sandbox is up;
   * returns whether the guard admitted it.
   */
  boolean create(String instanceId, FunctionRecord function, long epoch, long now, Consumer<CreateAnswer> answer,
      Consumer<Runnable> started) {
    EpochGuard.Refusal refusal = guard.check(epoch, SandboxKind.REGULAR);
    if (refusal != null) {
      answer.accept(new CreateAnswer.Refused("FAILED_PRECONDITION", refusal.message(), null));
      return false;
    }
    Sandbox existing = sandboxes.get(instanceId);
    if (existing != null) {
      if (existing.ready()) {
        answer.accept(new CreateAnswer.Created(endpoint(instanceId), generations.recorded()));
      }
      return true; // a duplicate of a creation under way: its first delivery answers
    }
    if (cpuUsed() + SIZE.cpuMillis() > CPU_MILLIS) {
      String lacked = "cpu: " + SIZE.cpuMillis() + "m requested, " + (CPU_MILLIS - cpuUsed()) + "m free";
      answer.accept(new CreateAnswer.Refused("RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED: " + lacked, lacked));
      return true;
    }
    sandboxes.put(instanceId, new Sandbox(instanceId, function.name(), function.revision(), SandboxKind.REGULAR,
        false, now, "", 0));
    int at = incarnation;
    started.accept(() -> {
      Sandbox sandbox = sandboxes.get(instanceId);
      if (alive && incarnation == at && sandbox != null) {
        sandboxes.put(instanceId, new Sandbox(instanceId, sandbox.function(), sandbox.revision(), sandbox.kind(),
            true, sandbox.createdAt(), "", 0));
        answer.accept(new CreateAnswer.Created(endpoint(instanceId), generations.recorded()));
      }
    });
    return true;
  }

  /** A deletion; false when the guard refused it. */
  boolean delete(String instanceId, long epoch) {
    Sandbox sandbox = sandboxes.get(instanceId);
    if (guard.check(epoch, sandbox == null ? null : sandbox.kind()) != null) {
      return false;
    }
    sandboxes.remove(instanceId);
    return true;
  }

  /** An Emergency Instance from a data plane (epoch 0); false when the guard or the room refused it. */
  boolean createEmergency(String instanceId, String function, String creator, long now, long leaseMillis) {
    if (guard.check(0, SandboxKind.EMERGENCY) != null || cpuUsed() + SIZE.cpuMillis() > CPU_MILLIS) {
      return false;
    }
    sandboxes.put(instanceId, new Sandbox(instanceId, function, 0, SandboxKind.EMERGENCY, true, now, creator,
        now + leaseMillis));
    return true;
  }

  void renew(String creator, long until) {
    sandboxes.replaceAll((k, s) -> s.kind() == SandboxKind.EMERGENCY && s.creator().equals(creator)
        ? new Sandbox(s.id(), s.function(), s.revision(), s.kind(), s.ready(), s.createdAt(), creator, until) : s);
  }

  /** Reaps Emergency Instances whose lease ran out: their data plane is gone. */
  void reap(long now) {
    sandboxes.values().removeIf(s -> s.kind() == SandboxKind.EMERGENCY && s.leaseUntil() < now);
  }

  /** What a registration or heartbeat lists, stamped with the generation drawn before reading the sandboxes. */
  WorkerListing listing() {
    long generation = generations.listing();
    List<ReportedSandbox> listed = new ArrayList<>();
    for (Sandbox s : sandboxes.values()) {
      listed.add(new ReportedSandbox(s.id(), s.function(), s.revision(),
          s.kind() == SandboxKind.REGULAR ? ReportedSandbox.Kind.REGULAR : ReportedSandbox.Kind.EMERGENCY,
          s.ready() ? ReportedSandbox.Status.READY : ReportedSandbox.Status.STARTING,
          s.ready() ? endpoint(s.id()) : null, s.createdAt(), SIZE));
    }
    return new WorkerListing(generation, listed);
  }

  private HostPort endpoint(String instanceId) {
    return new HostPort(id, Math.floorMod(instanceId.hashCode(), 10_000) + 20_000);
  }
}
