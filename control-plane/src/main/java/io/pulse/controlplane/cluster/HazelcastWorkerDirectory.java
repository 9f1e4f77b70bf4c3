package io.pulse.controlplane.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.controlplane.grpc.Protos;
import io.pulse.controlplane.membership.WorkerInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker directory in the replicated map {@code pulse-workers}: worker id to its WorkerDescriptor (protobuf).
 * Every replica mirrors the map in memory from its entry events, so that a new leader's sweep reads its own copy at
 * once instead of waiting for Hazelcast to re-own the dead leader's partitions (hundreds of milliseconds).
 */
final class HazelcastWorkerDirectory implements WorkerDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastWorkerDirectory.class);

  private final IMap<String, byte[]> map;
  private final Map<String, WorkerInfo> mirror = new ConcurrentHashMap<>();

  HazelcastWorkerDirectory(IMap<String, byte[]> map) {
    this.map = map;
    map.addEntryListener((EntryAddedListener<String, byte[]>) event -> mirror(event.getKey(), event.getValue()), true);
    map.addEntryListener((EntryUpdatedListener<String, byte[]>) event -> mirror(event.getKey(), event.getValue()),
        true);
    map.addEntryListener((EntryRemovedListener<String, byte[]>) event -> mirror.remove(event.getKey()), true);
    // What was there before we listened; values() blocks on partition owners, so not on the caller's thread.
    Thread.ofVirtual().name("pulse-worker-directory").start(() -> {
      try {
        map.forEach((id, bytes) -> mirror.putIfAbsent(id, decode(bytes)));
      } catch (RuntimeException e) {
        LOG.atWarn().setMessage("worker directory not preloaded").addKeyValue("error", e.toString()).log();
      }
    });
  }

  private void mirror(String id, byte[] bytes) {
    WorkerInfo info = decode(bytes);
    if (info != null) {
      mirror.put(id, info);
    }
  }

  private static @Nullable WorkerInfo decode(byte[] bytes) {
    try {
      return Protos.workerInfo(WorkerDescriptor.parseFrom(bytes));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      LOG.atWarn().setMessage("unreadable worker directory entry skipped").addKeyValue("error", e.toString()).log();
      return null;
    }
  }

  @Override
  public void put(WorkerInfo worker) {
    map.setAsync(worker.id(), Protos.workerDescriptor(worker).toByteArray()).whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.atWarn().setMessage("worker directory write failed").addKeyValue("worker", worker.id())
            .addKeyValue("error", failure.toString()).log();
      }
    });
  }

  @Override
  public void remove(String workerId) {
    map.deleteAsync(workerId).whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.atDebug().setMessage("worker directory delete failed").addKeyValue("worker", workerId)
            .addKeyValue("error", failure.toString()).log();
      }
    });
  }

  @Override
  public CompletionStage<List<WorkerInfo>> all() {
    return CompletableFuture.completedFuture(List.copyOf(mirror.values()));
  }
}
