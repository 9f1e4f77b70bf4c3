package io.pulse.controlplane.replicated;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.ControlPlane;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.TestToken;
import io.pulse.controlplane.async.Dispatch;
import io.pulse.controlplane.state.InvocationHorizon;
import io.pulse.controlplane.security.ApiSecurity;
import io.pulse.controlplane.cluster.ReplicationConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One control-plane replica as its own JVM, for the multi-process tests: {@code ReplicaMain ID REST GRPC CLUSTER
 * DATA_DIR MEMBER...} (all on 127.0.0.1). Prints {@code READY} once started; runs until killed.
 */
public final class ReplicaMain {

  private ReplicaMain() {}

  public static void main(String[] args) throws Exception {
    String id = args[0];
    int rest = Integer.parseInt(args[1]);
    int grpc = Integer.parseInt(args[2]);
    int cluster = Integer.parseInt(args[3]);
    Path dataDir = Path.of(args[4]);
    List<HostPort> members = Arrays.stream(args, 5, args.length).map(HostPort::parse).toList();
    ControlPlaneConfig config = ControlPlaneConfig.defaults().withReplicaId(id)
        .withRestBind(new HostPort("127.0.0.1", rest)).withGrpcBind(new HostPort("127.0.0.1", grpc))
        .withTickMs(500).withWorkerTimeoutMs(3000).withDrainMs(100)
        // One key ring for the set (a secret sealed on one replica opens on the others), an audit log each.
        .withSecurity(ApiSecurity.defaults().withToken(TestToken.VALUE)
            .withSecretsKeyFile(dataDir.resolveSibling("secrets.key"))
            .withAuditLog(dataDir.resolveSibling(id + "-audit.jsonl")));
    // Tests of the purge shorten how long results and tombstones are kept.
    long resultTtlMs = Long.getLong("pulse.test.asyncResultTtlMs", 0);
    if (resultTtlMs > 0) {
      Dispatch.Limits defaults = Dispatch.Limits.DEFAULTS;
      config = config.withAsyncLimits(new Dispatch.Limits(Duration.ofMillis(resultTtlMs), defaults.maxResults(),
          defaults.maxPending(), defaults.maxResultBodyBytes()));
    }
    long horizonMs = Long.getLong("pulse.test.invocationHorizonMs", 0);
    if (horizonMs > 0) {
      config = config.withInvocationHorizon(new InvocationHorizon(Duration.ofMillis(horizonMs)));
    }
    ReplicationConfig replication = new ReplicationConfig(members, new HostPort("127.0.0.1", cluster), "127.0.0.1",
        dataDir, 3000, "pulse-test");
    Vertx vertx = Vertx.vertx();
    ControlPlane.start(vertx, config, replication, new PrometheusRegistry(), new Readiness()).await();
    System.out.println("READY " + id);
    System.out.flush();
    Thread.currentThread().join();
  }
}
