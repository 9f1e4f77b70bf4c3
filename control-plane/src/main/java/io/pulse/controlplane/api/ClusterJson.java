package io.pulse.controlplane.api;

import io.pulse.controlplane.api.ClusterView.ClusterInfo;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.api.ClusterView.WorkerView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/** JSON forms of the cluster views. Absent values are written as explicit nulls so every key is always there. */
final class ClusterJson {

  private ClusterJson() {}

  static JsonObject instance(InstanceView instance) {
    return new JsonObject()
        .put("id", instance.id())
        .put("function", instance.function())
        .put("revision", instance.revision())
        .put("kind", instance.kind())
        .put("state", instance.state())
        .put("workerId", instance.workerId())
        .put("endpoint", instance.endpoint())
        .put("createdAt", instance.createdAt().toString())
        .put("readyAt", iso(instance.readyAt()))
        .put("creationMillis", instance.creationMillis())
        .put("lifetimeMillis", instance.lifetimeMillis())
        .put("busyMillis", instance.busyMillis())
        .put("memoryMiB", instance.memoryMiB())
        .put("endedAt", iso(instance.endedAt()));
  }

  static JsonObject worker(WorkerView worker) {
    JsonObject json = new JsonObject()
        .put("id", worker.id())
        .put("address", worker.address())
        .put("hostname", worker.hostname())
        .put("runtime", worker.runtime())
        .put("cpuMillis", worker.cpuMillis())
        .put("memoryMiB", worker.memoryMiB())
        .put("allocatedCpuMillis", worker.allocatedCpuMillis())
        .put("allocatedMemoryMiB", worker.allocatedMemoryMiB())
        .put("instances", worker.instances())
        .put("state", worker.state())
        .put("lastHeartbeat", worker.lastHeartbeat().toString());
    if (worker.poolMembers() > 0) { // only workers with pools: the others' listing stays as it was
      json.put("poolMembers", worker.poolMembers()).put("poolMemoryMiB", worker.poolMemoryMiB());
    }
    return json;
  }

  static JsonObject cluster(ClusterInfo info) {
    return new JsonObject()
        .put("replicaId", info.replicaId())
        .put("members", new JsonArray(new ArrayList<>(info.members())))
        .put("leader", info.leader())
        .put("epoch", info.epoch())
        .put("lastFailoverMillis", info.lastFailoverMillis());
  }

  private static @Nullable String iso(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
