package io.pulse.controlplane.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.map.IMap;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.controlplane.grpc.Protos;
import io.pulse.controlplane.membership.WorkerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker directory in the replicated map {@code pulse-workers}: worker id to its WorkerDescriptor (protobuf). */
final class HazelcastWorkerDirectory implements WorkerDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastWorkerDirectory.class);

  private final IMap<String, byte[]> map;

  HazelcastWorkerDirectory(IMap<String, byte[]> map) {
    this.map = map;
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
    CompletableFuture<List<WorkerInfo>> answer = new CompletableFuture<>();
    // values() blocks (a call to every partition owner): a virtual thread of its own, never the caller's.
    Thread.ofVirtual().name("pulse-worker-directory").start(() -> {
      try {
        List<WorkerInfo> workers = new ArrayList<>();
        for (byte[] bytes : map.values()) {
          try {
            workers.add(Protos.workerInfo(WorkerDescriptor.parseFrom(bytes)));
          } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            LOG.atWarn().setMessage("unreadable worker directory entry skipped").addKeyValue("error", e.toString())
                .log();
          }
        }
        answer.complete(workers);
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    });
    return answer;
  }
}
