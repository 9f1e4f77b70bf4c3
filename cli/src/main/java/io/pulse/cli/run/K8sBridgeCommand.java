package io.pulse.cli.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.StatusRuntimeException;
import io.pulse.cli.PulseCommand;
import io.pulse.cli.client.CliException;
import io.pulse.common.net.HostPort;
import io.pulse.k8sbridge.BridgeConfig;
import io.pulse.k8sbridge.DryRun;
import io.pulse.k8sbridge.K8sBridge;
import io.pulse.k8sbridge.KubeClients;
import io.pulse.k8sbridge.view.ClusterView;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse k8s-bridge}: mirrors workers and Regular Instances into a Kubernetes cluster. */
@Command(name = "k8s-bridge", description = "Run the Kubernetes bridge (workers -> Nodes, Regular Instances -> Pods, "
    + "functions -> Services).")
public final class K8sBridgeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--control-plane", defaultValue = "127.0.0.1:9091", split = ",",
      description = "Control-plane gRPC address(es), host:port; the leader is found through them "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> controlPlane;

  /** The old name of --control-plane, kept so that existing configurations run (with a warning). */
  @Option(names = "--api", split = ",", hidden = true,
      description = "Deprecated: --control-plane (a gRPC address; pulse fn's --api is the REST API's URL).")
  List<String> api;

  @Option(names = "--kubeconfig", description = "kubeconfig file (default: in-cluster config, else ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--namespace", defaultValue = BridgeConfig.DEFAULT_NAMESPACE,
      description = "Namespace of the mirrored Pods, Services and EndpointSlices (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--data-plane", split = ",",
      description = "Data-plane gateway address(es), host:port: the endpoints of every function's Service.")
  List<String> dataPlanes = List.of();

  @Option(names = "--id", defaultValue = BridgeConfig.DEFAULT_ID,
      description = "Bridge id: the value of the pulse.io/managed-by ownership label (default: ${DEFAULT-VALUE}).")
  String id;

  @Option(names = "--resync-ms", defaultValue = "10000",
      description = "Period of full reconciliation passes and Lease renewals (default: ${DEFAULT-VALUE}).")
  long resyncMs;

  @Option(names = "--reservations-ms", defaultValue = "10000",
      description = "How often host reservations are reported (default: ${DEFAULT-VALUE}).")
  long reservationsMs;

  @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--admin-port", defaultValue = "9095",
      description = "/metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--dry-run", description = "Print the objects the bridge would apply, as YAML, and exit.")
  boolean dryRun;

  @picocli.CommandLine.Mixin
  GrpcTlsFlags grpcTls = new GrpcTlsFlags();

  @Override
  public Integer call() {
    grpcTls.install();
    List<HostPort> controlPlanes = ControlPlaneAddresses.parse(ControlPlaneAddresses.OPTION, controlPlaneValues());
    ControlPlaneProbe.check("bridge", controlPlanes, dryRun, spec.commandLine().getErr());
    BridgeConfig config = BridgeConfig.withTiming(controlPlanes, kubeconfig, id, namespace,
        dataPlanes.stream().map(HostPort::parse).toList(), Duration.ofMillis(resyncMs), Duration.ofSeconds(30),
        Duration.ofMillis(reservationsMs));
    if (dryRun) {
      ClusterView view;
      try {
        view = DryRun.snapshot(controlPlanes, "k8s-bridge-" + id + "-dry-run", Duration.ofSeconds(10));
      } catch (StatusRuntimeException e) {
        throw new CliException("--dry-run: no snapshot from the control plane (" + e.getStatus().getCode()
            + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()) + ")");
      }
      byte[] yaml = DryRun.render(view, config.mirror(), Instant.now()).getBytes(StandardCharsets.UTF_8);
      PulseCommand.out(spec).write(yaml, 0, yaml.length);
      PulseCommand.out(spec).flush();
      return 0;
    }
    // Built and started on the main thread: neither does I/O (the bridge's loops run on their own threads), and
    // fabric8's HTTP client makes its own Vert.x instance, which should not happen on a Vert.x thread.
    return Standalone.run("k8s-bridge", c -> {
      KubernetesClient client = KubeClients.create(kubeconfig);
      K8sBridge bridge = K8sBridge.start(config, client, c.metrics(), c.readiness());
      return Future.succeededFuture((Supplier<Future<Void>>) () -> c.vertx().executeBlocking(() -> {
        bridge.close();
        client.close();
        return null;
      }));
    }, new HostPort(bind, adminPort));
  }

  /**
   * {@code --control-plane}, or the deprecated {@code --api} when only it is given: as a gRPC address it is accepted
   * with a warning; as a URL (the REST API's, which is what {@code --api} means everywhere else) it is refused
   * saying what to pass instead.
   */
  private List<String> controlPlaneValues() {
    if (api == null || api.isEmpty()) {
      return controlPlane;
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--control-plane")) {
      throw new CliException("k8s-bridge: give --control-plane only (--api is its deprecated name)");
    }
    try {
      List<HostPort> parsed = ControlPlaneAddresses.parse("--api", api);
      spec.commandLine().getErr().println("pulse: k8s-bridge --api is deprecated: use --control-plane "
          + String.join(",", parsed.stream().map(HostPort::toString).toList()));
      spec.commandLine().getErr().flush();
    } catch (CliException e) {
      throw new CliException("k8s-bridge --api (deprecated) takes the control plane's gRPC address, not the REST"
          + " API's URL: pass --control-plane HOST:PORT (the control plane's --grpc-port, 9091 by default) instead"
          + " of --api " + String.join(",", api));
    }
    return api;
  }
}
