package io.pulse.cli.run;

import io.pulse.common.net.HostPort;
import io.pulse.worker.WorkerConfig;
import io.pulse.worker.WorkerDaemon;
import io.pulse.worker.sandbox.fake.Distribution;
import io.pulse.worker.sandbox.fake.FakeProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse worker}: the worker daemon of one machine. */
@Command(name = "worker", description = "Run a worker daemon (runs sandboxes for the control plane and data planes).")
public final class WorkerCommand implements Callable<Integer> {

  private static final WorkerConfig DEFAULTS = WorkerConfig.defaults();

  @Spec
  CommandSpec spec;

  @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--grpc-port", defaultValue = "9093", description = "WorkerService port (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(names = "--admin-port", defaultValue = "9094",
      description = "/metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--advertise-host", defaultValue = "127.0.0.1",
      description = "Host others use to reach this worker and its sandboxes (default: ${DEFAULT-VALUE}).")
  String advertiseHost;

  @Option(names = "--control-plane", defaultValue = "127.0.0.1:9091", split = ",",
      description = "Control-plane gRPC address(es), host:port (default: ${DEFAULT-VALUE}).")
  List<String> controlPlane;

  @Option(names = "--runtime", defaultValue = "containerd",
      description = "Sandbox runtime: containerd, fake, or process (no isolation: needs --allow-process-runtime)"
          + " (default: ${DEFAULT-VALUE}).")
  String runtime;

  @picocli.CommandLine.Mixin
  ContainerdFlags containerd = new ContainerdFlags();

  @Option(names = "--data-dir", description = "Instance directories and logs, and the highest leader epoch seen "
      + "(kept across restarts for fencing; default: ${java.io.tmpdir}/pulse/worker).")
  Path dataDir;

  @Option(names = "--id", description = "Worker id (default: host name + random suffix).")
  String id;

  @Option(names = "--cpu-millis", description = "CPU offered to sandboxes, millicores (default: all cores).")
  Integer cpuMillis;

  @Option(names = "--memory-mib", description = "Memory offered to sandboxes, MiB (default: all memory).")
  Integer memoryMiB;

  @Option(names = "--cpu-overcommit", defaultValue = "" + WorkerConfig.DEFAULT_CPU_OVERCOMMIT,
      description = "How many times --cpu-millis the sandboxes' cpuMillis may add up to: CPU is shared by weight,"
          + " memory is reserved strictly; 1.0 reserves CPU strictly too (default: ${DEFAULT-VALUE}).")
  double cpuOvercommit;

  @Option(names = "--log-max-bytes", defaultValue = "10485760",
      description = "process and containerd runtimes: size at which an instance's log file is rotated; one older"
          + " file is kept, so at most twice this stays on disk per instance (default: ${DEFAULT-VALUE}).")
  long logMaxBytes;

  @Option(names = "--fake-cold-start-ms", defaultValue = "0",
      description = "fake runtime: cold-start distribution in ms: N, uniform:LOW:HIGH, exp:MEAN or"
          + " lognormal:MEDIAN:SIGMA (default: ${DEFAULT-VALUE}).")
  String fakeColdStartMs;

  @Option(names = "--fake-exec-ms", defaultValue = "0",
      description = "fake runtime: execution-time distribution of one request, same forms (default: ${DEFAULT-VALUE}).")
  String fakeExecMs;

  @Option(names = "--fake-serve-http", defaultValue = "true", arity = "1",
      description = "fake runtime: each sandbox serves HTTP in-process (false: bare endpoints, for control-plane"
          + " load) (default: ${DEFAULT-VALUE}).")
  boolean fakeServeHttp;

  @Option(names = "--fake-seed", defaultValue = "0", description = "fake runtime: seed of the samples (default: 0).")
  long fakeSeed;

  @Option(names = "--fake-pool-start-ms", defaultValue = "0",
      description = "fake runtime with --pool-members: a pool hit's claim-to-ready distribution, same forms (a member"
          + " takes --fake-cold-start-ms to create) (default: ${DEFAULT-VALUE}).")
  String fakePoolStartMs;

  @Option(names = "--emergency-reserve-percent", defaultValue = "20",
      description = "Share of CPU and memory kept back for Emergency Instances (default: ${DEFAULT-VALUE}).")
  int emergencyReservePercent;

  @Option(names = "--allow-process-runtime",
      description = "Allow --runtime process, which runs functions as plain child processes without any isolation"
          + " (development only).")
  boolean allowProcessRuntime;

  @picocli.CommandLine.Mixin
  GrpcTlsFlags grpcTls = new GrpcTlsFlags();

  @Override
  public Integer call() {
    if (runtime.equals("process") && !allowProcessRuntime) {
      throw new IllegalArgumentException("--runtime process gives functions no isolation and is for development"
          + " only: add --allow-process-runtime to use it anyway, or use --runtime containerd");
    }
    grpcTls.install();
    List<HostPort> controlPlanes = ControlPlaneAddresses.parse(ControlPlaneAddresses.OPTION, controlPlane);
    ControlPlaneProbe.check("worker", controlPlanes, false, spec.commandLine().getErr());
    FakeProfile fake = new FakeProfile(Distribution.parse("--fake-cold-start-ms", fakeColdStartMs),
        Distribution.parse("--fake-exec-ms", fakeExecMs), fakeServeHttp, fakeSeed,
        Distribution.parse("--fake-pool-start-ms", fakePoolStartMs));
    WorkerConfig config = DEFAULTS
        .withFake(fake)
        .withEmergencyReservePercent(emergencyReservePercent)
        .withCpuOvercommit(cpuOvercommit)
        .withLogMaxBytes(logMaxBytes)
        .withWorkerId(id != null ? id : DEFAULTS.workerId())
        .withGrpcBind(new HostPort(bind, grpcPort))
        .withAdvertiseHost(advertiseHost)
        .withControlPlane(controlPlanes)
        .withRuntime(runtime)
        .withDataDir(dataDir != null ? dataDir : DEFAULTS.dataDir())
        .withCapacity(cpuMillis != null ? cpuMillis : DEFAULTS.cpuMillis(),
            memoryMiB != null ? memoryMiB : DEFAULTS.memoryMiB());
    return Standalone.run("worker", c -> WorkerDaemon.start(c.vertx(), config, containerd.options(), c.metrics(),
            c.readiness())
        .map(w -> (Supplier<io.vertx.core.Future<Void>>) w::close), new HostPort(bind, adminPort));
  }
}
