package io.pulse.cli.run;

import io.pulse.common.net.HostPort;
import io.pulse.common.vertx.NetTransport;
import io.pulse.dataplane.DataPlane;
import io.pulse.dataplane.DataPlaneConfig;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse data-plane}: one invocation gateway. */
@Command(name = "data-plane", description = "Run a data plane (the invocation gateway).")
public final class DataPlaneCommand implements Callable<Integer> {

  private static final DataPlaneConfig DEFAULTS = DataPlaneConfig.defaults();

  @Spec
  CommandSpec spec;

  @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--http-port", defaultValue = "8080", description = "Gateway port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--admin-port", defaultValue = "8081",
      description = "/metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--control-plane", defaultValue = "127.0.0.1:9091", split = ",",
      description = "Control-plane gRPC address(es), host:port (default: ${DEFAULT-VALUE}).")
  List<String> controlPlane;

  @Option(names = "--domain", defaultValue = "fn.localhost",
      description = "Routes Host: NAME.DOMAIN to function NAME (default: ${DEFAULT-VALUE}).")
  String domain;

  @Option(names = "--id", description = "Name of this data plane (default: host name + random suffix).")
  String id;

  @Option(names = "--queue-capacity", description = "Requests that may wait per function (default: 1000).")
  Integer queueCapacity;

  @Option(names = "--queue-timeout-ms", description = "How long a request waits for an instance (default: 30000).")
  Long queueTimeoutMs;

  @Option(names = "--emergency-creations-per-worker",
      description = "Emergency Instances this data plane creates at once on one worker (default: 8).")
  Integer emergencyCreationsPerWorker;

  @Option(names = "--metric-filter-percentile",
      description = "Inter-arrival-time percentile the metric filter compares with the keep-alive (default: 50).")
  Integer metricFilterPercentile;

  @Option(names = "--emergency-lease-ms", description = "Lease of this data plane's Emergency Instances: renewed "
      + "every third of it; a worker deletes one not renewed for this long, i.e. once this data plane is gone "
      + "(default: 30000).")
  Long emergencyLeaseMs;

  @Option(names = "--forwarding", defaultValue = "raw",
      description = "How requests reach Regular Instances: vertx, or raw (a byte-level forwarder for plain HTTP/1.1 "
          + "requests with a free slot, cleartext only; the rest go the vertx way) (default: ${DEFAULT-VALUE}).")
  String forwarding;

  @Option(names = "--transport", defaultValue = "auto",
      description = "The event loops' network transport: auto (io_uring where the kernel offers it, else epoll, "
          + "saying why in the start line), epoll, or io_uring (system calls in batches; refused at start where the "
          + "kernel or the library has none) (default: ${DEFAULT-VALUE}).")
  String transport;

  @Option(names = "--event-loops", description = "Event loops that run the gateway (default: half the cores, at "
      + "least 1; here ${DEFAULT-VALUE}). A host that runs nothing but the data plane can give it one per core.")
  int eventLoops = DEFAULTS.eventLoops();

  @picocli.CommandLine.Mixin
  ListenerFlags listener = new ListenerFlags();

  @picocli.CommandLine.Mixin
  GrpcTlsFlags grpcTls = new GrpcTlsFlags();

  @Override
  public Integer call() {
    grpcTls.install();
    NetTransport loops = NetTransport.parse(transport);
    int processLoops = io.vertx.core.VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    if (eventLoops < 1 || eventLoops > processLoops) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--event-loops must be 1.." + processLoops
          + " (the process's event loops, twice the cores), was " + eventLoops);
    }
    List<HostPort> controlPlanes = ControlPlaneAddresses.parse(ControlPlaneAddresses.OPTION, controlPlane);
    ControlPlaneProbe.check("data plane", controlPlanes, false, spec.commandLine().getErr());
    DataPlaneConfig config = DEFAULTS
        .withGateway(listener.options(DataPlaneConfig.DEFAULT_IDLE_TIMEOUT_SECONDS))
        .withForwarding(io.pulse.dataplane.Forwarding.parse(forwarding))
        .withEventLoops(eventLoops)
        .withEmergencyCreationsPerWorker(emergencyCreationsPerWorker != null ? emergencyCreationsPerWorker
            : DEFAULTS.emergencyCreationsPerWorker())
        .withMetricFilterPercentile(metricFilterPercentile != null ? metricFilterPercentile
            : DEFAULTS.metricFilterPercentile())
        .withEmergencyLeaseMs(emergencyLeaseMs != null ? emergencyLeaseMs : DEFAULTS.emergencyLeaseMs())
        .withDataPlaneId(id != null ? id : DEFAULTS.dataPlaneId())
        .withHttpBind(new HostPort(bind, httpPort))
        .withDomain(domain)
        .withControlPlane(controlPlanes)
        .withQueueCapacity(queueCapacity != null ? queueCapacity : DEFAULTS.queueCapacity())
        .withQueueTimeoutMs(queueTimeoutMs != null ? queueTimeoutMs : DEFAULTS.queueTimeoutMs());
    return Standalone.run("data-plane", loops, c -> DataPlane.start(c.vertx(), config, c.metrics(), c.readiness())
        .map(dp -> (Supplier<io.vertx.core.Future<Void>>) dp::close), new HostPort(bind, adminPort));
  }
}
