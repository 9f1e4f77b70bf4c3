package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.pool.PoolBudget;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.ContainerdRig;
import io.pulse.worker.testing.TestImages;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic pool sizing end to end on real containerd (issue 13): a function with {@code "prewarm": "auto"} on the
 * expedited track. Its first two invocations are misses (a lone creation gets no pool: the function only woke); the
 * data plane reports those Emergency creations, the leader counts them, sizes the worker's pool from them within the
 * pool budget the worker registered, and the next invocation claims the member. The delete then drains the pool,
 * leaving nothing in containerd or the CNI store.
 */
class PoolAutoSizingTest {

  private static final String NAMESPACE = "pa7-auto";
  private static final String SUBNET = "10.88.208.128/25";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dataDir;
  static ContainerdRig rig;
  static ContainerdClient inspector;
  static AllInOne pulse;
  static LeaderRest leader;
  static ContainerdLeftovers leftovers;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    ContainerdHarness.assumeEndToEnd("pool auto-sizing test");
    rig = ContainerdRig.start();
    image = rig.image();
    inspector = ContainerdClient.connect(rig.containerd().socket(), NAMESPACE, 10_000);
    ContainerdOptions options = new ContainerdOptions(rig.containerd().socket(), NAMESPACE, "cni",
        Set.of(rig.registry().host()), Path.of("/usr/lib/cni"), false, RegistryCredentials.NONE).withCni(SUBNET, false)
        .withPool(new PoolBudget(2, 256));
    pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "containerd", dataDir, "fn.localhost", options),
        Duration.ofSeconds(60), AllInOne.Tuning.NONE
            .withControlPlane(c -> c.withTickMs(500).withDrainMs(200))
            .withWorker(w -> w.withStopGraceMs(500)));
    leader = new LeaderRest(pulse.restPort(), pulse.apiToken());
    leftovers = new ContainerdLeftovers(inspector, dataDir, NAMESPACE);
  }

  @AfterAll
  static void stop() {
    if (pulse != null) {
      pulse.close();
    }
    if (inspector != null) {
      inspector.close();
    }
    if (rig != null) {
      rig.close(); // also kills shims and removes the bridge of our namespace
    }
  }

  @Test
  void autoPrewarm_twoEmergencyCreationsSizeThePool_theNextCreationHitsIt_andTheDeleteLeavesNothing()
      throws Exception {
    JsonObject spec = new JsonObject().put("name", "auto").put("image", image).put("port", 8080)
        .put("resources", new JsonObject().put("memoryMiB", 64).put("cpuMillis", 250))
        .put("scaling", new JsonObject().put("policy", "emergency-only").put("prewarm", "auto")
            .put("keepAliveSeconds", 600) // creations counted over 100 s: the machine's load cannot part them
            .put("emergencyKeepAliveMs", 0)); // single use: each call is a creation
    HttpResponse<String> deployed = leader.api("POST", "/v1/functions", spec.encode());
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
    assertThat(new JsonObject(deployed.body()).getJsonObject("scaling").getValue("prewarm")).isEqualTo("auto");

    assertThat(invoke()).isEqualTo(TestImages.PAGE);
    assertThat(claims("miss", "emergency")).as("no pool before the first creation").isEqualTo(1);
    assertThat(invoke()).isEqualTo(TestImages.PAGE);
    assertThat(claims("miss", "emergency")).as("a lone creation sizes no pool").isEqualTo(2);

    await("the leader sized the pool from the reported creations").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).until(() -> readyMembers() >= 1);
    JsonObject pool = pools().getJsonObject(0);
    assertThat(pool.getInteger("target")).as("within the worker's budget of 2").isBetween(1, 2);
    assertThat(pool.getDouble("refillMs")).isPositive();

    assertThat(invoke()).isEqualTo(TestImages.PAGE);
    assertThat(claims("hit", "emergency")).as("the second creation claimed the member").isEqualTo(1);

    HttpResponse<String> deleted = leader.api("DELETE", "/v1/functions/auto", "");
    assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);
    await("nothing left: the delete drained the pool").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(leftovers::assertNothingLeft);
  }

  private static String invoke() throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(pulse.gatewayUrl() + "/fn/auto/"))
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return answer.body();
  }

  private static io.vertx.core.json.JsonArray pools() throws Exception {
    HttpResponse<String> answer = leader.api("GET", "/v1/functions/auto", "");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new JsonObject(answer.body()).getJsonObject("status").getJsonArray("pools");
  }

  private static int readyMembers() throws Exception {
    return pools().stream().map(JsonObject.class::cast).mapToInt(p -> p.getInteger("ready")).sum();
  }

  /** {@code pulse_worker_pool_claims_total{result, track}} from the all-in-one's /metrics. */
  private static long claims(String result, String track) throws Exception {
    HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(pulse.apiUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    String series = "pulse_worker_pool_claims_total{result=\"" + result + "\",track=\"" + track + "\"} ";
    List<String> lines = metrics.body().lines().filter(l -> l.startsWith(series)).toList();
    return lines.isEmpty() ? 0 : (long) Double.parseDouble(lines.getFirst().substring(series.length()));
  }
}
