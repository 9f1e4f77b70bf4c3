package io.pulse.controlplane.api;

import java.util.List;
import java.util.Map;

/** A cluster view whose answers the test sets; {@code broken} makes every call throw, to exercise the 500 path. */
final class FakeClusterView implements ClusterView {

  volatile Map<String, List<InstanceView>> instances = Map.of();
  volatile List<WorkerView> workers = List.of();
  volatile ClusterInfo cluster = new ClusterInfo("cp-1", List.of("cp-1"), "cp-1", 1_700_000_000_000L, null);
  volatile boolean broken;

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
