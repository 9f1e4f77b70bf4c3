package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.fake.Distribution;
import io.pulse.worker.sandbox.fake.FakeProfile;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PulseNet's dual-track scaling end to end: a real control plane, data plane and worker in this JVM, the worker on the
 * fake runtime (sandboxes are in-process HTTP servers with a random cold start; no CPU burned), so bursts of dozens of
 * instances fit on a small machine. Windows and ticks are shortened; the rules are the real ones.
 */
class DualTrackTest {

  private static final Pattern DESIRED =
      Pattern.compile("pulse_controlplane_autoscaler_desired\\{function=\"([a-z0-9-]+)\"} ([0-9.]+)");

  @TempDir static Path dataDir;
  static AllInOne pulse;
  static PulseTestClient client;

  @BeforeAll
  static void start() {
    AllInOne.Tuning tuning = AllInOne.Tuning.NONE
        .withControlPlane(c -> c.withTickMs(500).withStableWindowMs(6_000).withDrainMs(200)
            .withDefaultPolicy(ScalingPolicy.DUAL_TRACK))
        .withWorker(w -> w.withCapacity(16_000, 65_536).withEmergencyReservePercent(20)
            .withFake(FakeProfile.DEFAULT.withColdStartMs(new Distribution.Uniform(20, 60)).withSeed(42)));
    pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "fake", dataDir, "fn.localhost"),
        Duration.ofSeconds(30), tuning);
    client = new PulseTestClient(pulse);
  }

  @AfterAll
  static void stop() {
    if (pulse != null) {
      pulse.close();
    }
  }

  static JsonObject fake(String name, JsonObject scaling) {
    return new JsonObject().put("name", name).put("command", new JsonArray(List.of("fake")))
        .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", 64)).put("scaling", scaling);
  }

  @Test
  void dualTrack_burstOnOneRegularInstance_emergencyInstancesServeItAndAreDisposed() throws Exception {
    deploy(fake("burst", new JsonObject().put("policy", "dual-track").put("minScale", 1).put("maxScale", 8)
        .put("targetConcurrency", 1)));
    await().atMost(Duration.ofSeconds(20)).until(() -> readyRegular("burst") == 1);

    List<HttpResponse<String>> answers = burst("burst", 30, "/?sleep=300");

    Set<String> served = new HashSet<>();
    for (HttpResponse<String> answer : answers) {
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      served.add(answer.headers().firstValue("X-Pulse-Instance").orElseThrow());
    }
    assertThat(served).as("emergency instances served part of the burst").anyMatch(DualTrackTest::emergency);
    assertThat(metric("pulse_dataplane_emergency_creations_total{function=\"burst\",result=\"success\"}"))
        .isGreaterThan(0);
    // Single use: every Emergency Instance is gone from the worker once the burst is over.
    await().atMost(Duration.ofSeconds(20)).until(() -> emergencySandboxes() == 0);
    // The standard track follows the KPA: the Regular Instances settle on what the autoscaler decides.
    await().atMost(Duration.ofSeconds(20)).until(() -> regularInstances("burst") == desired("burst"));
    assertThat(desired("burst")).isBetween(1, 8);
  }

  @Test
  void kpa_burstQueuesAndIsServedByRegularInstancesOnly() throws Exception {
    deploy(fake("queued", new JsonObject().put("policy", "kpa").put("minScale", 1).put("maxScale", 6)
        .put("targetConcurrency", 1)));
    await().atMost(Duration.ofSeconds(20)).until(() -> readyRegular("queued") == 1);

    List<HttpResponse<String>> answers = burst("queued", 30, "/?sleep=100");

    for (HttpResponse<String> answer : answers) {
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(emergency(answer.headers().firstValue("X-Pulse-Instance").orElseThrow())).isFalse();
    }
    assertThat(metric("pulse_dataplane_emergency_creations_total{function=\"queued\",result=\"success\"}"))
        .isZero();
    assertThat(regularInstances("queued")).as("the queue made the autoscaler grow Regular Instances")
        .isGreaterThan(1);
  }

  @Test
  void emergencyOnly_rarelyInvokedFunctionNeverGetsARegularInstance() throws Exception {
    deploy(fake("rare-only", new JsonObject().put("policy", "emergency-only")));
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> answer = client.invoke("rare-only", "/", "");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(emergency(answer.headers().firstValue("X-Pulse-Instance").orElseThrow())).isTrue();
      assertThat(regularInstances("rare-only")).isZero();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> emergencySandboxes() == 0);
    assertThat(regularInstances("rare-only")).isZero();
    assertThat(desired("rare-only")).isZero();
  }

  @Test
  void dualTrack_theFirstCallOfAFunction_isServedByItsScaleFromZero_notByAnEmergencyInstance() throws Exception {
    // PulseNet would create an Emergency Instance, which its metric filter does not count (no inter-arrival time
    // yet): the next call would find no Regular Instance either. The first call's wait asks for a scale from zero,
    // expected as soon as a creation, as kpa's does.
    deploy(fake("first", new JsonObject().put("policy", "dual-track").put("keepAliveSeconds", 10)));

    HttpResponse<String> answer = client.invoke("first", "/", "");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(emergency(answer.headers().firstValue("X-Pulse-Instance").orElseThrow())).isFalse();
    assertThat(metric("pulse_dataplane_emergency_creations_total{function=\"first\",result=\"success\"}")).isZero();
    HttpResponse<String> next = client.invoke("first", "/", "");
    assertThat(next.headers().firstValue("X-Pulse-Instance"))
        .as("the next call finds it warm").isEqualTo(answer.headers().firstValue("X-Pulse-Instance"));
  }

  @Test
  void emergencyKeepAlive_theNextCallsTakeTheIdleInstance_heldWhileIdle_neverRegular_deletedWithTheFunction() {
    deploy(fake("reuse", new JsonObject().put("policy", "emergency-only").put("emergencyKeepAliveMs", 600_000)));

    Set<String> served = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> answer = client.invoke("reuse", "/", "");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      served.add(answer.headers().firstValue("X-Pulse-Instance").orElseThrow());
    }

    assertThat(served).as("one Emergency Instance served all three calls").hasSize(1)
        .allMatch(DualTrackTest::emergency);
    assertThat(metric("pulse_dataplane_emergency_creations_total{function=\"reuse\",result=\"success\"}"))
        .isEqualTo(1);
    // Idle, it holds its memory (cost) while hardly busy, and the autoscaler never counts it as a Regular Instance.
    // (64 MiB held a second longer than busy.)
    await().atMost(Duration.ofSeconds(20)).until(() -> idleMiBSeconds(emergencyUsage("reuse")) >= 64);
    assertThat(emergencyUsage("reuse").getInteger("liveInstances")).isEqualTo(1);
    assertThat(regularInstances("reuse")).isZero();
    assertThat(desired("reuse")).isZero();

    // The function goes: its idle instance is deleted now, not when its keep-alive (10 minutes) runs out.
    assertThat(client.api("DELETE", "/v1/functions/reuse", "").statusCode()).isIn(200, 202, 204);
    await().atMost(Duration.ofSeconds(15)).until(() -> emergencySandboxes() == 0);
  }

  @Test
  void emergencyKeepAlive_anIdleInstanceIsDeletedOnceItsKeepAliveRunsOut() {
    deploy(fake("brief", new JsonObject().put("policy", "emergency-only").put("emergencyKeepAliveMs", 1_000)));

    HttpResponse<String> answer = client.invoke("brief", "/", "");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(20)).until(() -> emergencySandboxes() == 0
        && emergencyUsage("brief").getInteger("liveInstances") == 0);
    // It lived at least its keep-alive after its call: 64 MiB held for >= 1 s (single use: its creation, ~40 ms).
    assertThat(emergencyUsage("brief").getDouble("memoryHeldMiBSeconds")).isGreaterThanOrEqualTo(64);
  }

  // --- helpers ---

  private static double idleMiBSeconds(JsonObject usage) {
    return usage.getDouble("memoryHeldMiBSeconds") - usage.getDouble("memoryBusyMiBSeconds");
  }

  /** The leader's account of the function's Emergency Instances (GET /v1/accounting). */
  private static JsonObject emergencyUsage(String function) {
    JsonObject functions = new JsonObject(client.api("GET", "/v1/accounting", "").body()).getJsonObject("functions");
    JsonObject account = functions == null ? null : functions.getJsonObject(function);
    return account == null ? new JsonObject().put("memoryHeldMiBSeconds", 0.0).put("memoryBusyMiBSeconds", 0.0)
        .put("liveInstances", -1) : account.getJsonObject("byKind").getJsonObject("emergency");
  }

  private static boolean emergency(String instanceId) {
    return instanceId.matches(".*-[0-9]+-e[a-z0-9]{8}");
  }

  private static void deploy(JsonObject spec) {
    HttpResponse<String> response = client.deploy(spec);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private static List<HttpResponse<String>> burst(String function, int n, String path) throws Exception {
    List<Future<HttpResponse<String>>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> client.invoke(function, path, "")));
      }
    }
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (Future<HttpResponse<String>> future : futures) {
      answers.add(future.get());
    }
    return answers;
  }

  private static JsonArray instances(String function) {
    return new JsonObject(client.api("GET", "/v1/functions/" + function + "/instances", "").body())
        .getJsonArray("instances");
  }

  private static int regularInstances(String function) {
    JsonArray all = instances(function);
    int count = 0;
    for (int i = 0; i < all.size(); i++) {
      JsonObject instance = all.getJsonObject(i);
      if ("regular".equals(instance.getString("kind")) && !"draining".equals(instance.getString("state"))) {
        count++;
      }
    }
    return count;
  }

  private static int readyRegular(String function) {
    JsonArray all = instances(function);
    int count = 0;
    for (int i = 0; i < all.size(); i++) {
      if ("ready".equals(all.getJsonObject(i).getString("state"))) {
        count++;
      }
    }
    return count;
  }

  private static int desired(String function) {
    Matcher m = DESIRED.matcher(client.api("GET", "/metrics", "").body());
    while (m.find()) {
      if (m.group(1).equals(function)) {
        return (int) Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }

  private static double metric(String series) {
    for (String line : client.api("GET", "/metrics", "").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  private static long emergencySandboxes() {
    return pulse.worker().sandboxes().stream().filter(s -> s.kind() == SandboxKind.EMERGENCY).count();
  }
}
