package io.pulse.controlplane.api;

import io.pulse.controlplane.accounting.AccountingSnapshot;
import io.pulse.controlplane.instances.LogLine;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the REST API reads about the running cluster (soft state owned by the scheduling side). Implementations answer
 * from an immutable snapshot and never block.
 */
public interface ClusterView {

  List<InstanceView> instancesOf(String function);

  List<WorkerView> workers();

  ClusterInfo cluster();

  /** Instance accounting of the current leader term (empty on a follower). */
  default AccountingSnapshot accounting() {
    return AccountingSnapshot.EMPTY;
  }

  /**
   * Completes once every connected data plane routes {@code function} at {@code revision} or later, or no longer
   * routes it when {@code revision} is negative: true, or false when the wait timed out. Never fails. Lets a
   * registration answer only when the function can be invoked.
   */
  default Future<Boolean> awaitRouted(String function, long revision) {
    return Future.succeededFuture(true);
  }

  /** What the leader heard of the function on workers (images, failed creations, exits); empty on a follower. */
  default io.pulse.controlplane.status.FunctionStatus functionStatus(String function) {
    return io.pulse.controlplane.status.FunctionStatus.NONE;
  }

  /**
   * How long {@code function}'s last Regular Instance is kept after its last request, and the idle gaps that said so
   * (README "Idle keep-alive"); null when this replica cannot say (not in a cluster yet). Any replica answers: the
   * gaps are replicated.
   */
  default @Nullable KeepAliveView keepAlive(io.pulse.controlplane.registry.FunctionRecord function) {
    return null;
  }

  /**
   * @param keepAliveMs the function's own keep-alive
   * @param holdMs how long its last Regular Instance is kept after the last request; null under {@code
   *     emergency-only}, which keeps {@code minScale}
   * @param idleGapsMs its last quiet spells longer than the keep-alive, oldest first
   * @param executionMs its calls' mean execution time as the leader last heard it; null when not measured here (a
   *     follower, or none measured this term)
   * @param creationMs a moving average of its instances' creation times as the leader measured them; null likewise
   */
  record KeepAliveView(long keepAliveMs, @Nullable Long holdMs, List<Long> idleGapsMs, @Nullable Double executionMs,
      @Nullable Double creationMs) {
    public KeepAliveView {
      idleGapsMs = List.copyOf(idleGapsMs);
    }
  }

  /**
   * Starts (true) or ends (false) draining a worker on the leader: true when done, false when the worker is unknown;
   * fails with {@code NotLeaderException} on a follower.
   */
  default Future<Boolean> setDraining(String workerId, boolean draining) {
    return Future.succeededFuture(false);
  }

  /**
   * The newest {@code tail} lines {@code instance} printed at or after {@code sinceMs}, read from its worker; fails
   * when the worker cannot say (it holds the instance no more, its runtime keeps no logs, it does not answer), or with
   * {@code NotLeaderException} on a follower. This view has none: it fails.
   */
  default Future<List<LogLine>> logs(InstanceView instance, int tail, long sinceMs) {
    return Future.failedFuture(new IllegalStateException("this control plane reads no instance logs"));
  }

  /**
   * One instance of a function.
   *
   * @param kind {@code regular} or {@code emergency}
   * @param state {@code pending} (being created), {@code ready}, {@code draining} (out of routing, being removed)
   * @param endpoint {@code host:port}, null until ready
   * @param creationMillis time from the create command to readiness, null until ready
   * @param lifetimeMillis time since the creation request (until it ended, for an ended Emergency Instance); null
   *     when accounting does not know the instance
   * @param busyMillis time it served requests, as the data planes reported it; null when unknown
   * @param memoryMiB memory it holds; null when unknown
   * @param endedAt when it ended ({@code state} {@code ended}: recent Emergency Instances); null while it lives
   */
  record InstanceView(
      String id,
      String function,
      long revision,
      String kind,
      String state,
      String workerId,
      @Nullable String endpoint,
      Instant createdAt,
      @Nullable Instant readyAt,
      @Nullable Double creationMillis,
      @Nullable Double lifetimeMillis,
      @Nullable Double busyMillis,
      @Nullable Integer memoryMiB,
      @Nullable Instant endedAt) {

    /** Without accounting facts. */
    public InstanceView(String id, String function, long revision, String kind, String state, String workerId,
        @Nullable String endpoint, Instant createdAt, @Nullable Instant readyAt, @Nullable Double creationMillis) {
      this(id, function, revision, kind, state, workerId, endpoint, createdAt, readyAt, creationMillis, null, null,
          null, null);
    }
  }

  /**
   * One worker daemon.
   *
   * @param state {@code alive}, {@code draining} (alive, being emptied) or {@code dead}
   * @param poolMembers what its sandbox pools may hold together (0: no pools), with {@code poolMemoryMiB}
   */
  record WorkerView(
      String id,
      String address,
      String hostname,
      String runtime,
      int cpuMillis,
      int memoryMiB,
      int allocatedCpuMillis,
      int allocatedMemoryMiB,
      int instances,
      String state,
      Instant lastHeartbeat,
      int poolMembers,
      int poolMemoryMiB) {

    /** A worker without sandbox pools. */
    WorkerView(String id, String address, String hostname, String runtime, int cpuMillis, int memoryMiB,
        int allocatedCpuMillis, int allocatedMemoryMiB, int instances, String state, Instant lastHeartbeat) {
      this(id, address, hostname, runtime, cpuMillis, memoryMiB, allocatedCpuMillis, allocatedMemoryMiB, instances,
          state, lastHeartbeat, 0, 0);
    }
  }

  /**
   * This control plane as a cluster: its replicas, the leader and its epoch.
   *
   * @param leaderRestAddress {@code host:port} of the leader's REST API when the leader is known and another replica
   *     (where to send a client for what only the leader can answer); null otherwise
   */
  record ClusterInfo(String replicaId, List<String> members, String leader, long epoch,
      @Nullable Double lastFailoverMillis, @Nullable String leaderRestAddress) {

    /** Without the leader's REST address (a single replica, or a view that does not know it). */
    public ClusterInfo(String replicaId, List<String> members, String leader, long epoch,
        @Nullable Double lastFailoverMillis) {
      this(replicaId, members, leader, epoch, lastFailoverMillis, null);
    }
  }
}
