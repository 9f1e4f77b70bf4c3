package io.pulse.cli.run;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.ControlPlane;
import io.pulse.controlplane.ControlPlaneConfig;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse control-plane}: one control-plane replica. */
@Command(name = "control-plane", description = "Run a control-plane replica (REST API, autoscaler, placement).")
public final class ControlPlaneCommand implements Callable<Integer> {

  private static final ControlPlaneConfig DEFAULTS = ControlPlaneConfig.defaults();

  @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--rest-port", defaultValue = "9090",
      description = "REST API and /metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
  int restPort;

  @Option(names = "--grpc-port", defaultValue = "9091",
      description = "gRPC for workers and data planes (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(names = "--replica-id", defaultValue = "cp-1", description = "Name of this replica (default: ${DEFAULT-VALUE}).")
  String replicaId;

  @Option(names = "--tick-ms", description = "Autoscaler period (default: 2000).")
  Long tickMs;

  @Option(names = "--worker-timeout-ms", description = "A worker silent this long is dead (default: 5000).")
  Long workerTimeoutMs;

  @Option(names = "--stable-window-ms", description = "KPA stable window (default: 60000).")
  Long stableWindowMs;

  @Option(names = "--drain-ms", description = "Time between unrouting an instance and deleting it (default: 1000).")
  Long drainMs;

  @Override
  public Integer call() {
    ControlPlaneConfig config = DEFAULTS
        .withReplicaId(replicaId)
        .withRestBind(new HostPort(bind, restPort))
        .withGrpcBind(new HostPort(bind, grpcPort))
        .withTickMs(tickMs != null ? tickMs : DEFAULTS.tickMs())
        .withWorkerTimeoutMs(workerTimeoutMs != null ? workerTimeoutMs : DEFAULTS.workerTimeoutMs())
        .withStableWindowMs(stableWindowMs != null ? stableWindowMs : DEFAULTS.stableWindowMs())
        .withDrainMs(drainMs != null ? drainMs : DEFAULTS.drainMs());
    return Standalone.run("control-plane", c -> ControlPlane.start(c.vertx(), config, c.metrics(), c.readiness())
        .map(cp -> (Supplier<io.vertx.core.Future<Void>>) cp::close), null);
  }
}
