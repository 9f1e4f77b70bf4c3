package io.pulse.controlplane.api;

import io.pulse.controlplane.instances.LogLine;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/** A cluster view whose answers the test sets; {@code broken} makes every call throw, to exercise the 500 path. */
final class FakeClusterView implements ClusterView {

  volatile Map<String, List<InstanceView>> instances = Map.of();
  volatile List<WorkerView> workers = List.of();
  volatile ClusterInfo cluster = new ClusterInfo("cp-1", List.of("cp-1"), "cp-1", 1_700_000_000_000L, null);
  volatile boolean broken;
  /** Each instance's lines, read as a worker would (since, tail); an instance missing here fails. */
  volatile Map<String, List<LogLine>> logs = Map.of();
  volatile String lastLogQuery = "";

  @Override
  public Future<List<LogLine>> logs(InstanceView instance, int tail, long sinceMs) {
    lastLogQuery = "tail=" + tail + " since=" + sinceMs;
    List<LogLine> lines = logs.get(instance.id());
    if (lines == null) {
      return Future.failedFuture(new IllegalStateException("UNIMPLEMENTED: no logs on " + instance.workerId()));
    }
    // As a worker answers: since, then the newest tail.
    List<LogLine> recent = lines.stream().filter(line -> line.timeMs() >= sinceMs).toList();
    return Future.succeededFuture(recent.subList(Math.max(0, recent.size() - tail), recent.size()));
  }

  @Override
  public List<InstanceView> instancesOf(String function) {
    failIfBroken();
    return instances.getOrDefault(function, List.of());
  }

  @Override
  public List<WorkerView> workers() {
    failIfBroken();
    return workers;
  }

  @Override
  public ClusterInfo cluster() {
    failIfBroken();
    return cluster;
  }

  private void failIfBroken() {
    if (broken) {
      throw new IllegalStateException("cluster view exploded");
    }
  }
}
