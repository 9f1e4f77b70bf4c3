package io.pulse.cli.run;

import io.pulse.cli.run.AllInOne.Settings;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.controlplane.security.ApiTokens;
import io.pulse.cli.PulseCommand;
import io.pulse.common.net.HostPort;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse up}: the all-in-one Pulse, until Ctrl-C or SIGTERM. */
@Command(name = "up", description = "Run an all-in-one Pulse (control plane, worker, data plane) on this machine.")
public final class UpCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--runtime", defaultValue = "process",
      description = "Sandbox runtime of the worker: process, fake or containerd (default: ${DEFAULT-VALUE}).")
  String runtime;

  @picocli.CommandLine.Mixin
  ContainerdFlags containerd = new ContainerdFlags();

  @Option(names = "--rest-port", defaultValue = "9090",
      description = "REST API and /metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
  int restPort;

  @Option(names = "--http-port", defaultValue = "8080", description = "Invocation gateway (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--grpc-port", defaultValue = "9091",
      description = "The control plane's gRPC port, where workers, data planes and the k8s bridge of other processes"
          + " or machines join this Pulse with --control-plane HOST:PORT (default: ${DEFAULT-VALUE}; 0: any free"
          + " port).")
  int grpcPort;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address every listener binds (default: ${DEFAULT-VALUE}; 0.0.0.0 to serve other machines).")
  String bind;

  @Option(names = "--data-dir", description = "The function registry (durable: functions survive a restart) and"
      + " instance directories and logs (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:PULSE_DATA_DIR:-${sys:java.io.tmpdir}/pulse-${sys:user.name}}")
  Path dataDir;

  @Option(names = "--domain", defaultValue = "fn.localhost",
      description = "Gateway routes Host: NAME.DOMAIN to function NAME (default: ${DEFAULT-VALUE}).")
  String domain;

  @Option(names = "--no-demo", description = "Do not deploy the sample function 'hello'.")
  boolean noDemo;

  @Option(names = "--policy", defaultValue = "dual-track",
      description = "Scaling policy of functions that choose none: dual-track, kpa or emergency-only"
          + " (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--api-token-file", paramLabel = "PATH",
      defaultValue = "${sys:user.home}/.pulse/api-token",
      description = "The REST API's bearer token: this file's first line, made (random, mode 0600, directory 0700)"
          + " when absent; pulse fn reads it from there (default: ${DEFAULT-VALUE}).")
  Path apiTokenFile;

  @Override
  public Integer call() {
    PrintStream out = PulseCommand.out(spec);
    ApiTokens.Loaded token = ApiTokens.loadOrCreate(apiTokenFile);
    ScalingPolicy defaultPolicy = ScalingPolicy.fromLabel(policy).orElseThrow(() -> new IllegalArgumentException(
        "--policy must be one of " + ScalingPolicy.labels() + ", was '" + policy + "'"));
    AllInOne pulse;
    try {
      pulse = AllInOne.start(
          new Settings(bind, restPort, httpPort, runtime, dataDir, domain, containerd.options()),
          Duration.ofSeconds(30), AllInOne.Tuning.NONE.withControlPlane(c -> c.withDefaultPolicy(defaultPolicy)
              .withSecurity(c.security().withToken(token.token()))
              .withGrpcBind(new HostPort(bind, grpcPort))));
    } catch (RuntimeException e) {
      throw PortsInUse.explain(e, bind, List.of(Map.entry("--rest-port", restPort),
          Map.entry("--http-port", httpPort), Map.entry("--grpc-port", grpcPort))).orElseThrow(() -> e);
    }
    // The sample is a command, which only the process and fake runtimes run; containerd needs an image.
    boolean demo = !noDemo && !runtime.equals("containerd");
    ShutdownSignal signal = ShutdownSignal.install(pulse::close);
    if (demo) {
      DemoFunction.deploy(pulse.apiUrl(), pulse.apiToken());
    }
    out.printf("""
        Pulse is up (all-in-one, %s runtime).
          REST API   %s/v1/functions
          gateway    %s/fn/NAME   or   Host: NAME.%s
          metrics    %s/metrics   health %s/healthz   ready %s/readyz
          data dir   %s
          join       --control-plane %s   (pulse worker, data-plane, k8s-bridge)
          API token  %s   (kept in %s)
                     pulse fn reads ~/.pulse/api-token (else give --token-file);
                     curl -H "Authorization: Bearer $(cat %s)" ...
        %s
        Ctrl-C stops everything.
        """, runtime, pulse.apiUrl(), pulse.gatewayUrl(), domain, pulse.apiUrl(), pulse.apiUrl(), pulse.apiUrl(),
        dataDir, joinAddress(pulse.controlPlane().grpcPort()), pulse.apiToken(), apiTokenFile, apiTokenFile,
        !demo ? "" : "Try:  curl " + pulse.gatewayUrl() + "/fn/" + DemoFunction.NAME + "\n");
    out.flush();
    signal.await();
    return 0;
  }

  /** The address other machines give as --control-plane: ours, or a placeholder when listening everywhere. */
  private String joinAddress(int port) {
    boolean everywhere = bind.equals("0.0.0.0") || bind.equals("::");
    return new HostPort(everywhere ? "THIS-HOST" : bind, port).toString();
  }
}
