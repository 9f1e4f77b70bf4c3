package io.pulse.controlplane.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.log.LogfmtLayout;
import io.pulse.common.net.HostPort;
import io.pulse.dataplane.DataPlane;
import io.pulse.dataplane.DataPlaneConfig;
import io.pulse.worker.WorkerConfig;
import io.pulse.worker.WorkerDaemon;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A secret created on the leader of three replicas (separate JVMs) reaches a function deployed after that leader was
 * killed with SIGKILL: the sealed value is durable on the others, which open it with the set's key ring, and the new
 * leader hands it to the worker (process runtime, in this JVM) that starts the function. The value is in no API
 * answer, replica log, audit line or metric.
 */
class ReplicatedSecretsTest {

  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void secretCreatedOnTheLeader_reachesAFunctionDeployedAfterTheLeadersKill_andIsNowhereElse() throws Exception {
    String value = "s3cr3t-" + System.nanoTime();
    List<String> answers = new ArrayList<>();
    // What the worker and the data plane of this JVM log; the replicas' logs are their files.
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    Vertx vertx = Vertx.vertx();
    WorkerDaemon worker = null;
    DataPlane dataPlane = null;
    String firstLeader = "";
    ReplicaSet replicas = ReplicaSet.start(dir);
    try {
      // The process runtime's ports of this test: a block of 16000..16999.
      int ports = 16_000 + 100 * ThreadLocalRandom.current().nextInt(10);
      worker = WorkerDaemon.start(vertx, WorkerConfig.defaults().withWorkerId("worker-secrets")
          .withGrpcBind(new HostPort("127.0.0.1", 0)).withAdvertiseHost("127.0.0.1")
          .withControlPlane(replicas.grpcSeeds()).withRuntime("process").withPortRange(ports, ports + 99)
          .withDataDir(dir.resolve("worker")).withCapacity(4_000, 4_096), new PrometheusRegistry(),
          new Readiness()).await(60, TimeUnit.SECONDS);
      dataPlane = DataPlane.start(vertx, DataPlaneConfig.defaults().withDataPlaneId("dp-secrets")
          .withHttpBind(new HostPort("127.0.0.1", 0)).withControlPlane(replicas.grpcSeeds())
          .withEventLoops(1), new PrometheusRegistry(), new Readiness()).await(60, TimeUnit.SECONDS);
      ReplicaProcess first = replicas.leader();
      firstLeader = first.id;
      HttpResponse<String> created = replicas.post(first, "/v1/secrets",
          new JsonObject().put("name", "db").put("value", value).encode());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      answers.add(created.body());
      // The audit line is appended by a background thread after the answer: wait for it, or kill -9 may beat it.
      await("the audit of the secret's creation").atMost(CONVERGE).until(() -> Files.exists(first.auditLog())
          && Files.readString(first.auditLog()).contains("/v1/secrets"));

      first.kill();
      await("a new leader").atMost(CONVERGE).until(() -> replicas.currentLeader().filter(r -> r != first)
          .isPresent());
      ReplicaProcess next = replicas.leader();
      String spec = new JsonObject().put("name", "sec")
          .put("command", new JsonArray().add("sh").add("-c").add("mkdir www && cp \"$PULSE_SECRETS_DIR/db\" www/db"
              + " && cd www && exec python3 -m http.server ${PORT} --bind 127.0.0.1"))
          .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", 64))
          .put("secrets", new JsonArray().add("db")).encode();
      // The new leader may still be taking over (503): the client retries, as pulse fn deploy's user would.
      await("deployed on " + next.id).atMost(CONVERGE).pollInterval(Duration.ofMillis(500))
          .until(() -> replicas.post(next, "/v1/functions", spec).statusCode() == 201);
      String gateway = "http://127.0.0.1:" + dataPlane.httpPort() + "/fn/sec/db";
      await("the secret served by the function").atMost(CONVERGE).pollInterval(Duration.ofMillis(500))
          .until(() -> get(gateway).statusCode() == 200);

      assertThat(get(gateway).body()).isEqualTo(value);
      for (ReplicaProcess replica : replicas.replicas()) {
        if (!replica.alive()) {
          continue;
        }
        for (String path : List.of("/v1/secrets", "/v1/secrets/db", "/v1/functions/sec", "/v1/functions",
            "/v1/functions/sec/instances", "/metrics")) {
          answers.add(replicas.get(replica, path).body());
        }
      }
    } finally {
      if (dataPlane != null) {
        dataPlane.close().await(30, TimeUnit.SECONDS);
      }
      if (worker != null) {
        worker.close().await(30, TimeUnit.SECONDS);
      }
      vertx.close().await(30, TimeUnit.SECONDS);
      replicas.close();
      root.detachAppender(logs);
    }

    assertThat(answers).isNotEmpty().noneMatch(answer -> answer.contains(value));
    LogfmtLayout layout = new LogfmtLayout();
    assertThat(logs.list.stream().map(layout::doLayout).toList()).as("worker and data plane log lines").isNotEmpty()
        .noneMatch(line -> line.contains(value));
    for (ReplicaProcess replica : replicas.replicas()) {
      assertThat(Files.readString(replica.log)).as(replica.log.toString()).contains("READY")
          .doesNotContain(value);
      if (Files.exists(replica.auditLog())) {
        assertThat(Files.readString(replica.auditLog())).as(replica.auditLog().toString()).doesNotContain(value);
      }
    }
    String leaderId = firstLeader;
    assertThat(Files.readString(replicas.replicas().stream().filter(r -> r.id.equals(leaderId)).findFirst()
        .orElseThrow().auditLog())).as("the audit of the secret's creation").contains("/v1/secrets");
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
