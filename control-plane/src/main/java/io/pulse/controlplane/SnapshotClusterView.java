package io.pulse.controlplane;

import io.pulse.controlplane.api.ClusterView;
import io.pulse.controlplane.autoscale.ColdStartShare;
import io.pulse.controlplane.autoscale.IdleGapStore;
import io.pulse.controlplane.autoscale.IdleGaps;
import io.pulse.controlplane.autoscale.LastInstanceHold;
import io.pulse.controlplane.instances.LogLine;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/** The REST API's read view: answers from the last published snapshot, from any thread, without locking. */
final class SnapshotClusterView implements ClusterView {

  /** Waits for a function revision to reach the data planes (the scheduler's route publisher answers). */
  interface RoutedAwaiter {
    Future<Boolean> awaitRouted(String function, long revision);
  }

  /** Drains and resumes workers through the current term's scheduler. */
  interface Drainer {
    Future<Boolean> setDraining(String workerId, boolean draining);
  }

  /** Reads an instance's log from the worker that runs it, through the current term's worker client. */
  interface LogReader {
    Future<List<LogLine>> logs(InstanceView instance, int tail, long sinceMs);
  }

  private final RoutedAwaiter routed;
  private final Clock clock;
  private volatile LogReader logReader = (instance, tail, sinceMs) ->
      Future.failedFuture(new IllegalStateException("no scheduler yet"));
  private volatile Drainer drainer = (id, draining) -> Future.succeededFuture(false);
  private volatile ClusterSnapshot snapshot;
  private volatile @org.jspecify.annotations.Nullable KeepAlives keepAlives;
  static final java.util.function.Function<String, ColdStartShare> NO_COLD_STARTS = f -> ColdStartShare.UNKNOWN;
  private volatile java.util.function.Function<String, ColdStartShare> coldStarts = NO_COLD_STARTS;
  private volatile java.util.function.@org.jspecify.annotations.Nullable Supplier<
      io.pulse.controlplane.accounting.AccountingSnapshot> accounting;
  /** When set, the cluster part comes from the replication layer instead of the scheduler's snapshot. */
  private volatile java.util.function.@org.jspecify.annotations.Nullable Supplier<ClusterInfo> clusterInfo;

  SnapshotClusterView(ClusterSnapshot initial, RoutedAwaiter routed, Clock clock) {
    this.snapshot = initial;
    this.routed = routed;
    this.clock = clock;
  }

  @Override
  public Future<Boolean> awaitRouted(String function, long revision) {
    return routed.awaitRouted(function, revision);
  }

  /** The replicated idle gaps and the rule that turns them into a hold. */
  private record KeepAlives(IdleGapStore gaps, LastInstanceHold hold) {}

  void keepAlives(IdleGapStore gaps, LastInstanceHold hold) {
    keepAlives = new KeepAlives(gaps, hold);
  }

  /** The leader's measured cold-start shares (its autoscaler's); a follower has none. */
  void coldStartSource(java.util.function.Function<String, ColdStartShare> source) {
    coldStarts = source;
  }

  @Override
  public @org.jspecify.annotations.Nullable KeepAliveView keepAlive(FunctionRecord function) {
    KeepAlives k = keepAlives;
    if (k == null) {
      return null;
    }
    IdleGaps gaps = k.gaps().gaps(function.name());
    FunctionSpec.Scaling scaling = function.spec().scaling();
    ColdStartShare coldStart = coldStarts.apply(function.name());
    return new KeepAliveView(scaling.keepAliveSeconds() * 1000L,
        k.hold().millis(scaling, gaps, coldStart, function.spec().resources().memoryMiB()),
        Arrays.stream(gaps.millis()).boxed().toList(), millis(coldStart.executionMicros()),
        millis(coldStart.creationMicros()));
  }

  private static @org.jspecify.annotations.Nullable Double millis(long micros) {
    return micros > 0 ? micros / 1e3 : null;
  }

  void drainer(Drainer value) {
    drainer = value;
  }

  @Override
  public Future<Boolean> setDraining(String workerId, boolean draining) {
    return drainer.setDraining(workerId, draining);
  }

  void logReader(LogReader value) {
    logReader = value;
  }

  @Override
  public Future<List<LogLine>> logs(InstanceView instance, int tail, long sinceMs) {
    return logReader.logs(instance, tail, sinceMs);
  }

  void publish(ClusterSnapshot next) {
    snapshot = next;
  }

  ClusterSnapshot current() {
    return snapshot;
  }

  @Override
  public List<InstanceView> instancesOf(String function) {
    return AccountedViews.merge(snapshot.instances().getOrDefault(function, List.of()),
        accounting().instancesOf(function), clock.millis());
  }

  /** Where instance accounting comes from (the current term's last published ledger snapshot). */
  void accountingSource(java.util.function.Supplier<io.pulse.controlplane.accounting.AccountingSnapshot> source) {
    accounting = source;
  }

  @Override
  public io.pulse.controlplane.accounting.AccountingSnapshot accounting() {
    var source = accounting;
    return source == null ? io.pulse.controlplane.accounting.AccountingSnapshot.EMPTY : source.get();
  }

  @Override
  public io.pulse.controlplane.status.FunctionStatus functionStatus(String function) {
    return snapshot.status().getOrDefault(function, io.pulse.controlplane.status.FunctionStatus.NONE);
  }

  @Override
  public List<WorkerView> workers() {
    return snapshot.workers();
  }

  void clusterInfo(java.util.function.Supplier<ClusterInfo> source) {
    clusterInfo = source;
  }

  @Override
  public ClusterInfo cluster() {
    java.util.function.Supplier<ClusterInfo> source = clusterInfo;
    return source != null ? source.get() : snapshot.cluster();
  }
}
