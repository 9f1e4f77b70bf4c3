package io.pulse.cli.run;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.ControlPlane;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.controlplane.cluster.ReplicationConfig;
import io.pulse.controlplane.security.ApiSecurity;
import java.nio.file.Path;
import java.util.List;
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

  @Option(names = "--members", split = ",", paramLabel = "HOST:PORT",
      description = "Cluster (Hazelcast) address of every replica, this one's included, e.g. "
          + "10.0.0.1:5701,10.0.0.2:5701,10.0.0.3:5701. One replica when absent.")
  List<String> members = List.of();

  @Option(names = "--cluster-port", defaultValue = "5701",
      description = "This replica's cluster (Hazelcast) port; with --members, BIND:PORT (or ADVERTISE-HOST:PORT when"
          + " binding 0.0.0.0) must be one of them (default: ${DEFAULT-VALUE}).")
  int clusterPort;

  @Option(names = "--advertise-host", defaultValue = "127.0.0.1",
      description = "Host other components and replicas use to reach this one (default: ${DEFAULT-VALUE}).")
  String advertiseHost;

  @Option(names = "--data-dir",
      description = "RocksDB state store of this replica (default: $TMPDIR/pulse/control-plane/REPLICA-ID).")
  Path dataDir;

  @Option(names = "--failure-detection-ms", defaultValue = "3000",
      description = "A replica silent this long is removed from the cluster (default: ${DEFAULT-VALUE}).")
  long failureDetectionMs;

  @Option(names = "--prepull-images", defaultValue = "true", arity = "1",
      description = "Ask workers to pull a function's image at registration and when they join, so that cold starts"
          + " do not include the pull (default: ${DEFAULT-VALUE}).")
  boolean prepullImages;

  @Option(names = "--default-policy", defaultValue = "dual-track",
      description = "Scaling policy of functions that choose none: dual-track, kpa or emergency-only"
          + " (default: ${DEFAULT-VALUE}).")
  String defaultPolicy;

  @Option(names = "--dual-track-panic", defaultValue = "false", arity = "1",
      description = "Let the KPA of dual-track functions panic as kpa's does; by default it sizes their Regular"
          + " Instances by the stable window only, their surges going to the expedited track (default: ${DEFAULT-VALUE}).")
  boolean dualTrackPanic;

  @Option(names = "--dual-track-idle-keep-alive", paramLabel = "N",
      defaultValue = "" + ControlPlaneConfig.DEFAULT_IDLE_KEEP_ALIVE,
      description = "Hold a dual-track function's last Regular Instance for up to N keep-alives when most of its recent"
          + " idle gaps ended within that (1: the function's keep-alive only; default: ${DEFAULT-VALUE}).")
  int dualTrackIdleKeepAlive;

  @Option(names = "--dual-track-hold-min-cold-share", paramLabel = "F",
      defaultValue = "" + ControlPlaneConfig.DEFAULT_HOLD_MIN_COLD_SHARE,
      description = "Hold a dual-track function's last Regular Instance beyond its keep-alive only when its measured"
          + " creation time is at least F times its calls' mean execution time (0: whatever the calls' length;"
          + " default: ${DEFAULT-VALUE}).")
  double dualTrackHoldMinColdShare;

  @Option(names = "--dual-track-fleet-slack", paramLabel = "F",
      defaultValue = "" + ControlPlaneConfig.DEFAULT_FLEET_SLACK,
      description = "Size a dual-track function's Regular Instances for its stable-window load less F of one"
          + " instance's (at least one while it has demand): that fraction goes to the expedited track. 0..<1; 0 sizes"
          + " them as kpa's (default: ${DEFAULT-VALUE}).")
  double dualTrackFleetSlack;

  @Option(names = "--dual-track-hold-budget-mib", paramLabel = "B",
      defaultValue = "" + ControlPlaneConfig.DEFAULT_HOLD_BUDGET_MIB,
      description = "Price a dual-track function's idle hold by its memory: beyond the keep-alive, hold at most B MiB"
          + " for one keep-alive (a function of m MiB at most B/m keep-alives longer; at 256, one of 64 MiB or less"
          + " keeps the whole reach, one of 256 MiB one keep-alive more). 0: not priced (default: ${DEFAULT-VALUE}).")
  int dualTrackHoldBudgetMiB;

  @Option(names = "--api-token-file", paramLabel = "PATH",
      description = "The REST API's bearer token is this file's first line; made (random, mode 0600) when absent."
          + " Default: DATA-DIR/api-token.")
  Path apiTokenFile;

  @Option(names = "--audit-log", paramLabel = "PATH",
      description = "Append one JSON line per registration, update and deletion here (also logged to pulse.audit).")
  Path auditLog;

  @Option(names = "--tls-peer-ca", paramLabel = "PEM",
      description = "With --tls-cert and several replicas: the CA that signed the replicas' REST certificates, by"
          + " which a follower checks the leader before forwarding a write to it (default: the JVM's trust store).")
  Path tlsPeerCa;

  @Option(names = "--secrets-key-file", paramLabel = "PATH",
      description = "AES key ring that seals secrets at rest (one Base64 256-bit key per line; the first seals); made"
          + " (random, mode 0600) when absent. Every replica needs the same file. Default: DATA-DIR/secrets.key.")
  Path secretsKeyFile;

  @picocli.CommandLine.Mixin
  ListenerFlags listener = new ListenerFlags();

  @picocli.CommandLine.Mixin
  GrpcTlsFlags grpcTls = new GrpcTlsFlags();

  @Override
  public Integer call() {
    grpcTls.install();
    ApiSecurity security = ApiSecurity.defaults().withTokenFile(apiTokenFile).withAuditLog(auditLog)
        .withSecretsKeyFile(secretsKeyFile).withPeerCa(tlsPeerCa)
        .withRest(listener.options(ApiSecurity.DEFAULT_IDLE_TIMEOUT_SECONDS));
    ControlPlaneConfig config = DEFAULTS
        .withSecurity(security)
        .withDefaultPolicy(ScalingPolicy.fromLabel(defaultPolicy).orElseThrow(() -> new IllegalArgumentException(
            "--default-policy must be one of " + ScalingPolicy.labels() + ", was '" + defaultPolicy + "'")))
        .withReplicaId(replicaId)
        .withPrepullImages(prepullImages)
        .withDualTrackPanic(dualTrackPanic)
        .withDualTrackIdleKeepAlive(dualTrackIdleKeepAlive)
        .withDualTrackHoldMinColdShare(dualTrackHoldMinColdShare)
        .withDualTrackFleetSlack(dualTrackFleetSlack)
        .withDualTrackHoldBudgetMiB(dualTrackHoldBudgetMiB)
        .withRestBind(new HostPort(bind, restPort))
        .withGrpcBind(new HostPort(bind, grpcPort))
        .withTickMs(tickMs != null ? tickMs : DEFAULTS.tickMs())
        .withWorkerTimeoutMs(workerTimeoutMs != null ? workerTimeoutMs : DEFAULTS.workerTimeoutMs())
        .withStableWindowMs(stableWindowMs != null ? stableWindowMs : DEFAULTS.stableWindowMs())
        .withDrainMs(drainMs != null ? drainMs : DEFAULTS.drainMs());
    List<HostPort> cluster = members.stream().map(String::strip).filter(m -> !m.isEmpty()).map(HostPort::parse)
        .toList();
    String clusterHost = bind.equals("0.0.0.0") ? advertiseHost : bind;
    Path store = dataDir != null ? dataDir
        : Path.of(System.getProperty("java.io.tmpdir"), "pulse", "control-plane", replicaId);
    ReplicationConfig replication = new ReplicationConfig(cluster, new HostPort(clusterHost, clusterPort),
        advertiseHost, store, failureDetectionMs, "pulse");
    return Standalone.run("control-plane", c -> ControlPlane.start(c.vertx(), config, replication, c.metrics(),
            c.readiness())
        .map(cp -> (Supplier<io.vertx.core.Future<Void>>) cp::close), null);
  }
}
