package io.pulse.controlplane.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.map.IMap;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.controlplane.grpc.Protos;
import io.pulse.controlplane.membership.WorkerInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker directory in the replicated map {@code pulse-workers}: worker id to its WorkerDescriptor (protobuf).
 * Every replica reads its own {@link MapMirror} of the map, so that a new leader's sweep starts at once.
 */
final class HazelcastWorkerDirectory implements WorkerDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastWorkerDirectory.class);

  private final IMap<String, byte[]> map;
  private final MapMirror<byte[], WorkerInfo> mirror;

  HazelcastWorkerDirectory(IMap<String, byte[]> map) {
    this.map = map;
    this.mirror = new MapMirror<>(map, HazelcastWorkerDirectory::decode);
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
    return CompletableFuture.completedFuture(mirror.values());
  }
}
