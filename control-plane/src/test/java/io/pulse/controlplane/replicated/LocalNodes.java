package io.pulse.controlplane.replicated;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.net.HostPort;
import io.pulse.dataplane.DataPlane;
import io.pulse.dataplane.DataPlaneConfig;
import io.pulse.worker.WorkerConfig;
import io.pulse.worker.WorkerDaemon;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Test fixture: a real worker daemon and a real data plane in this JVM, on loopback, joined to replicas through their
 * seed list (what the multi-process tests put beside a {@link ReplicaSet}).
 */
final class LocalNodes implements AutoCloseable {

  final Vertx vertx;
  final WorkerDaemon worker;
  final DataPlane dataPlane;

  private LocalNodes(Vertx vertx, WorkerDaemon worker, DataPlane dataPlane) {
    this.vertx = vertx;
    this.worker = worker;
    this.dataPlane = dataPlane;
  }

  /** {@code worker} adjusts the worker's settings (runtime, ports); its data lives in {@code dir/worker}. */
  static LocalNodes start(List<HostPort> seeds, Path dir, String name, UnaryOperator<WorkerConfig> worker)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    WorkerDaemon started = WorkerDaemon.start(vertx, worker.apply(WorkerConfig.defaults()
        .withWorkerId("worker-" + name).withGrpcBind(new HostPort("127.0.0.1", 0)).withAdvertiseHost("127.0.0.1")
        .withControlPlane(seeds).withDataDir(dir.resolve("worker")).withCapacity(4_000, 4_096)),
        new PrometheusRegistry(), new Readiness()).await(60, TimeUnit.SECONDS);
    DataPlane dataPlane = DataPlane.start(vertx, DataPlaneConfig.defaults().withDataPlaneId("dp-" + name)
        .withHttpBind(new HostPort("127.0.0.1", 0)).withControlPlane(seeds).withEventLoops(1),
        new PrometheusRegistry(), new Readiness()).await(60, TimeUnit.SECONDS);
    return new LocalNodes(vertx, started, dataPlane);
  }

  /** The gateway's URL for {@code path} (starting with '/'). */
  String gateway(String path) {
    return "http://127.0.0.1:" + dataPlane.httpPort() + path;
  }

  @Override
  public void close() throws Exception {
    dataPlane.close().await(30, TimeUnit.SECONDS);
    worker.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
