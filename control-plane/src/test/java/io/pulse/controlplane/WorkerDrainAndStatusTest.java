package io.pulse.controlplane;

import static io.pulse.controlplane.ControlPlaneHarness.eventually;
import static io.pulse.controlplane.ControlPlaneHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.v1.ExitReason;
import io.pulse.api.v1.FailureNote;
import io.pulse.api.v1.SandboxExit;
import io.pulse.api.v1.SandboxState;
import io.pulse.controlplane.registry.FunctionSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.pulse.controlplane.ControlPlaneHarness.RouteWatcher;

/**
 * Draining a worker for maintenance (REST), and what the leader tells about a function's trouble on workers: image
 * preparation, failed creations, exits (an OOM kill). Real gRPC and HTTP; the workers are {@link FakeWorker}s.
 */
class WorkerDrainAndStatusTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private ControlPlaneHarness harness;

  @AfterEach
  void tearDown() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void drain_movesRegularInstancesElsewhere_stopsPlacingThere_andResumeUndoesIt() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker leaving = worker("w1");
    harness.join(leaving);
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.create(spec("moved", 2, 60));
    eventually().until(() -> dataPlane.instanceIds("moved").size() == 2);
    List<String> originals = dataPlane.instanceIds("moved");
    FakeWorker staying = worker("w2");
    harness.join(staying);
    eventually().until(() -> dataPlane.workers.size() == 2);

    HttpResponse<String> drained = post("/v1/workers/w1/drain");

    assertThat(drained.statusCode()).as(drained.body()).isEqualTo(202);
    eventually().until(() -> dataPlane.instances("moved").size() == 2
        && dataPlane.instances("moved").stream().allMatch(i -> i.getWorkerId().equals("w2")));
    eventually().until(() -> leaving.deletedIds().containsAll(originals));
    // Emergency creations stop there too: data planes no longer see the worker.
    assertThat(dataPlane.workers).extracting(w -> w.getWorkerId()).containsExactly("w2");
    eventually().untilAsserted(() -> assertThat(worker("w1", workersJson())).containsEntry("state", "draining")
        .containsEntry("instances", 0));
    assertThat(leaving.createdIds()).containsExactlyInAnyOrderElementsOf(originals);

    assertThat(post("/v1/workers/w1/resume").statusCode()).isEqualTo(202);
    eventually().until(() -> dataPlane.workers.size() == 2);
    assertThat(worker("w1", workersJson())).containsEntry("state", "alive");
    assertThat(post("/v1/workers/nobody/drain").statusCode()).isEqualTo(404);
  }

  @Test
  void drain_withoutToken_isRefusedAndChangesNothing() throws Exception {
    harness = new ControlPlaneHarness();
    harness.join(worker("w1"));
    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/v1/workers/w1/drain"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(worker("w1", workersJson())).containsEntry("state", "alive");
  }

  @Test
  void status_showsImagePreparationPerWorker_failedCreations_andOomExits() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker node = worker("w1");
    harness.join(node);
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.create(imageSpec("good", "registry.local/app:1", 1));
    harness.create(imageSpec("bad", "registry.local/missing:1", 0));

    eventually().untilAsserted(() -> assertThat(images("good")).singleElement()
        .satisfies(image -> assertThat(image).containsEntry("workerId", "w1").containsEntry("state", "ready")
            .containsEntry("digest", "sha256:feed")));
    eventually().untilAsserted(() -> assertThat(images("bad")).singleElement()
        .satisfies(image -> assertThat(image).containsEntry("state", "failed")
            .hasEntrySatisfying("error", e -> assertThat((String) e).contains("NOT_FOUND", "missing"))));
    assertThat(node.preparedImages).contains("registry.local/app:1", "registry.local/missing:1");

    // The instance is killed by its memory limit: the function's status says so. Its replacement fails to start
    // once: the status keeps that too.
    eventually().until(() -> dataPlane.instanceIds("good").size() == 1);
    String victim = dataPlane.instanceIds("good").get(0);
    node.failNextCreates.set(1);
    node.sandboxes.computeIfPresent(victim, (id, info) -> info.toBuilder().setState(SandboxState.EXITED)
        .setExit(SandboxExit.newBuilder().setReason(ExitReason.EXIT_REASON_OOM_KILLED).setExitCode(137)
            .setMessage("memory limit 32 MiB").setExitedAtMs(System.currentTimeMillis())).build());
    eventually().untilAsserted(() -> {
      JsonObject exit = status("good").getJsonObject("lastExit");
      assertThat(exit == null ? null : exit.getMap()).as("lastExit").isNotNull()
          .containsEntry("instanceId", victim).containsEntry("reason", "oom-killed").containsEntry("exitCode", 137);
    });
    assertThat(harness.scrapeMetrics()).contains("pulse_controlplane_sandbox_exits_total{reason=\"oom-killed\"} 1.0");

    eventually().untilAsserted(() -> {
      JsonObject failure = status("good").getJsonObject("lastCreateFailure");
      assertThat(failure == null ? null : failure.getMap()).as("lastCreateFailure").isNotNull()
          .containsEntry("code", "UNAVAILABLE");
      assertThat(failure.getString("ref")).as("the ref of the leader's log line").matches("[0-9a-f]{12}");
    });
  }

  @Test
  void status_listsTheFailuresDataPlanesAnsweredWithARef_newestFirst() throws Exception {
    harness = new ControlPlaneHarness();
    harness.join(worker("w1"));
    harness.create(imageSpec("crashy", "registry.local/app:1", 0));
    String tail = "process exited with code 3 before accepting connections on port 20001; last lines of its log:\n"
        + "config: DB_PASSWORD=hunter2";

    harness.reportFailure("dp-1", FailureNote.newBuilder().setRef("0123456789ab").setFunction("crashy")
        .setStage("create").setInstanceId("crashy-1-eaaaaaaaa").setWorkerId("w1").setCode("INTERNAL")
        .setDetail(tail).setAtMs(1_000).build());
    harness.reportFailure("dp-1", FailureNote.newBuilder().setRef("ba9876543210").setFunction("crashy")
        .setStage("deadline").setInstanceId("crashy-1-ebbbbbbbb").setWorkerId("w1").setCode("DEADLINE_EXCEEDED")
        .setDetail("not ready within the request's remaining 1999 ms").setAtMs(2_000).build());
    harness.reportFailure("dp-1", FailureNote.newBuilder().setRef("ffffffffffff").setFunction("unknown")
        .setStage("create").setDetail("ignored: no such function").build());

    eventually().untilAsserted(() -> {
      JsonArray failures = status("crashy").getJsonArray("recentFailures");
      assertThat(failures).hasSize(2);
      assertThat(failures.getJsonObject(0).getString("ref")).isEqualTo("ba9876543210");
      assertThat(failures.getJsonObject(1).getMap()).containsEntry("ref", "0123456789ab")
          .containsEntry("stage", "create").containsEntry("source", "dp-1")
          .containsEntry("instanceId", "crashy-1-eaaaaaaaa").containsEntry("workerId", "w1")
          .containsEntry("code", "INTERNAL").containsEntry("message", tail);
    });
  }

  private FakeWorker worker(String id) {
    return harness.worker(id);
  }

  private static FunctionSpec imageSpec(String name, String image, int minScale) {
    return new FunctionSpec(name, image, List.of(), 8080, Map.of(), new FunctionSpec.Resources(250, 128),
        new FunctionSpec.Scaling(minScale, 0, 1, 60), 30);
  }

  private JsonObject status(String function) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/functions/" + function))
        .header("Authorization", TestToken.BEARER).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonObject("status");
  }

  private List<Map<String, Object>> images(String function) throws Exception {
    List<Map<String, Object>> result = new ArrayList<>();
    status(function).getJsonArray("images").forEach(o -> result.add(((JsonObject) o).getMap()));
    return result;
  }

  private List<JsonObject> workersJson() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/workers"))
        .header("Authorization", TestToken.BEARER).build(), HttpResponse.BodyHandlers.ofString());
    List<JsonObject> result = new ArrayList<>();
    new JsonObject(response.body()).getJsonArray("workers").forEach(o -> result.add((JsonObject) o));
    return result;
  }

  private static Map<String, Object> worker(String id, List<JsonObject> workers) {
    return workers.stream().filter(w -> w.getString("id").equals(id)).findFirst().orElseThrow().getMap();
  }

  private HttpResponse<String> post(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", TestToken.BEARER)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + harness.controlPlane.restPort() + path);
  }
}
