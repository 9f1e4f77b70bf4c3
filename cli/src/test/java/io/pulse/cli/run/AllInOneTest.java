package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.samples.hello.HelloCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: a real control plane, worker (process runtime, real child processes) and data
 * plane in this JVM, driven over real HTTP exactly as a user would.
 */
class AllInOneTest {

  @TempDir static Path dataDir;
  static AllInOne pulse;
  static PulseTestClient client;

  @BeforeAll
  static void start() {
    pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dataDir, "fn.localhost"),
        Duration.ofSeconds(30));
    client = new PulseTestClient(pulse);
  }

  @AfterAll
  static void stop() {
    if (pulse != null) {
      pulse.close();
    }
  }

  static JsonObject hello(String name, JsonObject scaling) {
    return new JsonObject().put("name", name).put("command", new JsonArray(HelloCommand.argv()))
        .put("scaling", scaling);
  }

  @Test
  void pythonHttpServer_isInvokedThroughTheGateway() {
    JsonObject spec = new JsonObject().put("name", "web")
        .put("command", new JsonArray(List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1")));
    assertThat(client.deploy(spec).statusCode()).isEqualTo(201);

    HttpResponse<String> response = client.invoke("web", "/", "");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("Directory listing");
  }

  @Test
  void fiftyConcurrentFirstRequests_allSucceedExactlyOnce() throws Exception {
    assertThat(client.deploy(hello("burst", new JsonObject().put("targetConcurrency", 5).put("maxScale", 10)))
        .statusCode()).isEqualTo(201);

    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 50; i++) {
        String body = "request-" + i;
        answers.add(pool.submit(() -> client.invoke("burst", "/?sleep=100", body)));
      }
    }

    Set<String> echoed = new HashSet<>();
    for (Future<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(echoed.add(response.body())).as("duplicate answer " + response.body()).isTrue();
    }
    assertThat(echoed).hasSize(50).allMatch(body -> body.startsWith("request-"));
    // Dual-track (the default): the burst on a cold function is served by Emergency Instances (real processes)
    // and whatever Regular Instances the autoscaler adds; every Emergency Instance is gone once it is over.
    assertThat(client.regularInstanceCount("burst")).isBetween(0, 10);
    await().atMost(Duration.ofSeconds(30)).until(() -> pulse.worker().sandboxes().stream()
        .noneMatch(s -> s.kind() == io.pulse.worker.sandbox.SandboxKind.EMERGENCY));
  }

  @Test
  void keepAlive_removesIdleInstancesAndTheNextRequestColdStartsAgain() {
    // The standard track's keep-alive: under kpa the request waits for (and leaves behind) a Regular Instance.
    assertThat(client.deploy(hello("idle", new JsonObject().put("keepAliveSeconds", 5).put("policy", "kpa")))
        .statusCode())
        .isEqualTo(201);
    HttpResponse<String> first = client.invoke("idle", "/", "");
    assertThat(first.statusCode()).isEqualTo(200);
    long lastRequest = System.nanoTime();
    String firstInstance = first.headers().firstValue("X-Pulse-Instance").orElseThrow();

    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.instanceCount("idle") == 0);
    Duration idleFor = Duration.ofNanos(System.nanoTime() - lastRequest);
    assertThat(idleFor).as("instances must outlive the keep-alive").isGreaterThanOrEqualTo(Duration.ofSeconds(5));

    HttpResponse<String> again = client.invoke("idle", "/", "");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("X-Pulse-Instance")).isPresent().get().isNotEqualTo(firstInstance);
  }

  @Test
  void unknownFunction_is404WithAJsonError() {
    HttpResponse<String> response = client.invoke("nope", "/", "");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message")).contains("nope");
  }

  @Test
  void badSpecs_get400NamingTheProblemAndTheServerKeepsServing() {
    record Case(String body, String mentions) {}
    List<Case> cases = List.of(
        new Case("{\"name\":\"Bad_Name\",\"command\":[\"x\"]}", "name"),
        new Case("{\"name\":\"nothing-to-run\"}", "command"),
        new Case("{\"name\":\"neg\",\"command\":[\"x\"],\"scaling\":{\"maxScale\":-1}}", "scaling.maxScale"),
        new Case("{\"name\":\"neg\",\"command\":[\"x\"],\"resources\":{\"memoryMiB\":-5}}", "resources.memoryMiB"),
        new Case("{\"name\": ", "JSON"));
    for (Case c : cases) {
      HttpResponse<String> response = client.api("POST", "/v1/functions", c.body());
      assertThat(response.statusCode()).as(c.body()).isEqualTo(400);
      assertThat(response.body()).as(c.body()).contains(c.mentions());
    }
    HttpResponse<String> huge = client.api("POST", "/v1/functions", "{\"name\":\"" + "x".repeat(3 << 20) + "\"}");
    assertThat(huge.statusCode()).isEqualTo(413);

    assertThat(client.api("GET", "/v1/functions", "").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsOnTheRestPort_coverEveryComponent() {
    assertThat(client.deploy(hello("observed", new JsonObject())).statusCode()).isEqualTo(201);
    assertThat(client.invoke("observed", "/", "").statusCode()).isEqualTo(200);
    String metrics = client.api("GET", "/metrics", "").body();
    assertThat(metrics).contains("pulse_controlplane_functions").contains("pulse_dataplane_invocations_total")
        .contains("pulse_worker_sandboxes").contains("jvm_memory");
    assertThat(metrics).as("pulse up runs on epoll, as asked").containsPattern(
        "pulse_event_loops_info\\{requested=\"epoll\",transport=\"(epoll|nio)\"} 1");
    assertThat(client.api("GET", "/readyz", "").statusCode()).isEqualTo(200);
  }
}
