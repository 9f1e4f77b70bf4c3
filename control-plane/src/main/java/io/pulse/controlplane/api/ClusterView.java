package io.pulse.controlplane.api;

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

  /**
   * Completes once every connected data plane routes {@code function} at {@code revision} or later, or no longer
   * routes it when {@code revision} is negative: true, or false when the wait timed out. Never fails. Lets a
   * registration answer only when the function can be invoked.
   */
  default Future<Boolean> awaitRouted(String function, long revision) {
    return Future.succeededFuture(true);
  }

  /**
   * One instance of a function.
   *
   * @param kind {@code regular} or {@code emergency}
   * @param state {@code pending} (being created), {@code ready}, {@code draining} (out of routing, being removed)
   * @param endpoint {@code host:port}, null until ready
   * @param creationMillis time from the create command to readiness, null until ready
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
      @Nullable Double creationMillis) {}

  /**
   * One worker daemon.
   *
   * @param state {@code alive} or {@code dead}
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
      Instant lastHeartbeat) {}

  /** This control plane as a cluster: its replicas, the leader and its epoch. */
  record ClusterInfo(String replicaId, List<String> members, String leader, long epoch,
      @Nullable Double lastFailoverMillis) {}
}
