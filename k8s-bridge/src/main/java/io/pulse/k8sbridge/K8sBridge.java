package io.pulse.k8sbridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.net.HostPort;
import io.pulse.k8sbridge.reconcile.ClusterReader;
import io.pulse.k8sbridge.reconcile.Diff;
import io.pulse.k8sbridge.reconcile.PlanApplier;
import io.pulse.k8sbridge.reconcile.ReconcileLoop;
import io.pulse.k8sbridge.reconcile.ReconcileMetrics;
import io.pulse.k8sbridge.reservations.ReservationReporter;
import io.pulse.k8sbridge.resources.MirrorConfig;
import io.pulse.k8sbridge.view.ClusterView;
import io.pulse.k8sbridge.watch.RouteFollower;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge process's parts, wired: the route follower feeds the view, every new view triggers a reconcile pass,
 * and the reservation reporter runs beside them. {@link #close()} stops all three (the mirrored objects stay: a
 * restarted bridge adopts them by their ownership label).
 */
public final class K8sBridge implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(K8sBridge.class);

  private final RouteFollower follower;
  private final ReconcileLoop loop;
  private final ReservationReporter reporter;

  private K8sBridge(RouteFollower follower, ReconcileLoop loop, ReservationReporter reporter) {
    this.follower = follower;
    this.loop = loop;
    this.reporter = reporter;
  }

  /** Starts the bridge on {@code client} (which the caller closes after {@link #close()}). */
  public static K8sBridge start(BridgeConfig config, KubernetesClient client, PrometheusRegistry metrics,
      Readiness readiness) {
    return start(config, client, metrics, readiness, InstantSource.system());
  }

  /** As above, on {@code clock} (the reconciler's heartbeats and per-object backoff follow it). */
  public static K8sBridge start(BridgeConfig config, KubernetesClient client, PrometheusRegistry metrics,
      Readiness readiness, InstantSource clock) {
    String id = config.mirror().owner();
    ReconcileMetrics reconcileMetrics = new ReconcileMetrics(metrics);
    reportUnmirroredDataPlanes(config.mirror(), reconcileMetrics);
    ReconcileLoop[] loopRef = new ReconcileLoop[1];
    RouteFollower follower = new RouteFollower(config.controlPlanes(), "k8s-bridge-" + id,
        () -> loopRef[0].trigger());
    ReconcileLoop loop = new ReconcileLoop(follower::view, new ClusterReader(client, config.mirror()),
        new PlanApplier(client, new Diff(config.mirror())::merged), config.mirror(), clock, config.resync(),
        config.maxBackoff(), reconcileMetrics);
    loopRef[0] = loop;
    ReservationReporter reporter = new ReservationReporter(client, id, id, follower::view, follower::leader,
        config.reservationPeriod());
    readiness.register("k8s-bridge", () -> {
      ClusterView view = follower.view();
      if (!view.synced()) {
        return "no route snapshot from the control plane yet";
      }
      String error = loop.lastError();
      if (error != null) {
        return "the API server failed: " + error;
      }
      List<String> refused = loop.persistentRefusals();
      if (!refused.isEmpty()) {
        return "the API server keeps refusing " + refused.size() + " object(s): " + refused.getFirst()
            + (refused.size() > 1 ? " (and " + (refused.size() - 1) + " more)" : "");
      }
      return loop.lastSuccess() == null ? "no reconciliation pass yet" : null;
    });
    loop.start();
    follower.start();
    reporter.start();
    LOG.atInfo().setMessage("k8s bridge started").addKeyValue("id", id)
        .addKeyValue("namespace", config.mirror().namespace())
        .addKeyValue("api_server", client.getMasterUrl()).addKeyValue("control_planes", config.controlPlanes())
        .log();
    return new K8sBridge(follower, loop, reporter);
  }

  /**
   * Says once, at start, which data planes no EndpointSlice can list (an API server refuses loopback, link-local and
   * unspecified endpoint addresses): their functions' Services get no endpoints, instead of a slice refused forever.
   */
  private static void reportUnmirroredDataPlanes(MirrorConfig mirror, ReconcileMetrics metrics) {
    Map<HostPort, String> unmirrored = mirror.unmirroredDataPlanes();
    metrics.unmirroredDataPlanes(unmirrored.size());
    if (unmirrored.isEmpty()) {
      return;
    }
    boolean none = unmirrored.size() == mirror.dataPlanes().size();
    LOG.atWarn().setMessage(none
            ? "no data-plane address can be an EndpointSlice endpoint: functions' Services are mirrored without "
                + "endpoints; give --data-plane the data planes' cluster-reachable addresses"
            : "some data-plane addresses cannot be EndpointSlice endpoints and are left out of the slices")
        .addKeyValue("refused", unmirrored.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
            .toList())
        .addKeyValue("mirrored", mirror.endpointDataPlanes()).log();
  }

  public ClusterView view() {
    return follower.view();
  }

  @Override
  public void close() {
    reporter.close();
    follower.close();
    loop.close();
  }
}
