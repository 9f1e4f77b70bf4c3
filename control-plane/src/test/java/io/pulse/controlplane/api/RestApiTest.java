package io.pulse.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.pulse.controlplane.api.ClusterView.ClusterInfo;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.api.ClusterView.WorkerView;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.registry.InMemoryFunctionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jspecify.annotations.Nullable;

/** The REST API over real HTTP: a Vert.x server on port 0, a WebClient, the in-memory registry, a fake cluster. */
@ExtendWith(VertxExtension.class)
class RestApiTest {

  private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

  private Vertx vertx;
  private FakeClusterView cluster;
  private FunctionRegistry registry;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.cluster = new FakeClusterView();
    this.registry = new InMemoryFunctionRegistry(new SteppingClock(START));
    startServer(registry);
  }

  private void startServer(FunctionRegistry functions) throws Exception {
    server = await(vertx.createHttpServer().requestHandler(RestApi.router(vertx, functions, cluster)).listen(0));
    client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("localhost").setDefaultPort(server.actualPort()));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    await(server.close());
  }

  // ---- POST /v1/functions

  @Test
  void create_validSpec_returns201WithStoredRecordAndLocation() throws Exception {
    HttpResponse<Buffer> response = post(spec("hello"));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.getHeader("Location")).isEqualTo("/v1/functions/hello");
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject record = response.bodyAsJsonObject();
    assertThat(record.getString("name")).isEqualTo("hello");
    assertThat(record.getJsonArray("command")).isEqualTo(new JsonArray().add("run").add("${PORT}"));
    assertThat(record.getInteger("port")).isZero();
    assertThat(record.getJsonObject("env")).isEqualTo(new JsonObject());
    assertThat(record.getJsonObject("resources"))
        .isEqualTo(new JsonObject().put("cpuMillis", 250).put("memoryMiB", 256));
    assertThat(record.getJsonObject("scaling")).isEqualTo(new JsonObject()
        .put("minScale", 0).put("maxScale", 0).put("targetConcurrency", 1).put("keepAliveSeconds", 60)
        .put("emergencyKeepAliveMs", 500).put("prewarm", 0));
    assertThat(record.getInteger("timeoutSeconds")).isEqualTo(300);
    assertThat(record.getLong("revision")).isEqualTo(1);
    assertThat(record.getString("createdAt")).isEqualTo(record.getString("updatedAt"));
    assertThat(Instant.parse(record.getString("createdAt"))).isAfterOrEqualTo(START);
    assertThat(record.containsKey("image")).isFalse();

    HttpResponse<Buffer> fetched = send(HttpMethod.GET, "/v1/functions/hello", null);
    assertThat(fetched.statusCode()).isEqualTo(200);
    // GET adds the leader's status of the function on workers (nothing yet).
    assertThat(fetched.bodyAsJsonObject()).isEqualTo(record.copy().put("status", new JsonObject()
        .put("images", new JsonArray()).putNull("lastCreateFailure").putNull("lastExit")
        .put("recentFailures", new JsonArray()).putNull("lastPlacementFailure")
        .put("pools", new JsonArray())));
    assertThat(registry.get("hello")).map(FunctionRecord::revision).contains(1L);
  }

  @Test
  void create_existingName_returns409AndKeepsTheStoredSpec() throws Exception {
    assertThat(post(spec("hello")).statusCode()).isEqualTo(201);

    HttpResponse<Buffer> response = post(spec("hello").put("timeoutSeconds", 5));

    assertError(response, 409, null, "function 'hello' already exists");
    assertThat(registry.get("hello").orElseThrow().spec().timeoutSeconds()).isEqualTo(300);
  }

  @Test
  void create_concurrentCreatesOfOneName_exactlyOneSucceeds() throws Exception {
    HttpClient pooled = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(16));
    WebClient parallel = WebClient.wrap(pooled);
    try {
      List<Future<HttpResponse<Buffer>>> responses = IntStream.range(0, 16)
          .mapToObj(i -> parallel.post(server.actualPort(), "localhost", "/v1/functions")
              .sendJsonObject(spec("racy").put("env", new JsonObject().put("ATTEMPT", String.valueOf(i)))))
          .toList();
      await(Future.all(responses));

      List<Integer> statuses = responses.stream().map(f -> f.result().statusCode()).toList();
      assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
      assertThat(statuses).filteredOn(status -> status == 409).hasSize(15);
      String winner = responses.stream().map(Future::result).filter(r -> r.statusCode() == 201).findFirst()
          .orElseThrow().bodyAsJsonObject().getJsonObject("env").getString("ATTEMPT");
      assertThat(registry.get("racy").orElseThrow().spec().env()).containsEntry("ATTEMPT", winner);
    } finally {
      await(pooled.close());
    }
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        arguments("uppercase name", spec("Hello"), "name", "got \"Hello\""),
        arguments("name with underscore", spec("my_fn"), "name", "DNS-1123 label"),
        arguments("name too long", spec("x".repeat(64)), "name", "at most 63"),
        arguments("name missing", spec("x").putNull("name"), "name", "name is required"),
        arguments("neither image nor command", new JsonObject().put("name", "x"), "command", "one of image"),
        arguments("bad image", new JsonObject().put("name", "x").put("image", "Not An Image").put("port", 80),
            "image", "got \"Not An Image\""),
        arguments("negative port", spec("x").put("port", -5), "port", "port must be at least 0, got -5"),
        arguments("negative minScale", spec("x").put("scaling", new JsonObject().put("minScale", -1)),
            "scaling.minScale", "got -1"),
        arguments("negative cpu", spec("x").put("resources", new JsonObject().put("cpuMillis", -100)),
            "resources.cpuMillis", "got -100"),
        arguments("maxScale below minScale",
            spec("x").put("scaling", new JsonObject().put("minScale", 4).put("maxScale", 2)), "scaling.maxScale",
            "got 2"),
        arguments("reserved env", spec("x").put("env", new JsonObject().put("PULSE_ID", "x")), "env.PULSE_ID",
            "reserved"),
        arguments("bad argument", spec("x").put("command", new JsonArray().add("run").add(7)), "command[1]",
            "must be a string, got number 7"),
        arguments("wrong type", spec("x").put("timeoutSeconds", "30s"), "timeoutSeconds",
            "must be an integer, got string \"30s\""),
        arguments("typo", spec("x").put("scaling", new JsonObject().put("maxscale", 3)), "scaling.maxscale",
            "unknown field 'scaling.maxscale'"),
        // Specs the kernel could never start (execve would refuse them, or cut a string at the NUL).
        arguments("NUL in an argument", spec("x").put("command", new JsonArray().add("run").add("a").add("b")
            .add("c\u0000d")), "command[3]", "must not contain a NUL character"),
        arguments("NUL in an env value", spec("x").put("env", new JsonObject().put("TOKEN", "ab\u0000")),
            "env.TOKEN", "must not contain a NUL character"),
        arguments("env entry over MAX_ARG_STRLEN", spec("x").put("env", new JsonObject().put("BIG",
            "v".repeat(200_000))), "env.BIG", "at most 131072 (the kernel's MAX_ARG_STRLEN)"),
        arguments("argv over the 1 MiB total", spec("x").put("command", new JsonArray(
            java.util.Collections.nCopies(110_000, "a"))), "command", "at most 1048576"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void create_invalidSpec_returns400NamingTheField(String description, JsonObject body, String field,
      String message) throws Exception {
    HttpResponse<Buffer> response = post(body);

    assertError(response, 400, field, message);
    assertThat(registry.snapshot()).isEmpty();
    assertStillServes();
  }

  static Stream<Arguments> unparsableBodies() {
    return Stream.of(
        arguments("truncated object", "{\"name\": ", "malformed JSON: "),
        arguments("trailing comma", "{\"name\": \"x\",}", "malformed JSON: "),
        arguments("not JSON at all", "name=hello", "malformed JSON: "),
        arguments("an array", "[{\"name\": \"x\"}]", "request body must be a JSON object, got an array"),
        arguments("a string", "\"hello\"", "request body must be a JSON object, got a string"),
        arguments("a number", "42", "request body must be a JSON object, got a number"),
        arguments("null", "null", "request body must be a JSON object, got null"),
        arguments("empty", "", "request body is empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unparsableBodies")
  void create_bodyNotAJsonObject_returns400(String description, String body, String message) throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/functions", Buffer.buffer(body));

    assertError(response, 400, null, message);
    assertStillServes();
  }

  @Test
  void create_malformedJson_saysWhere() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/functions", Buffer.buffer("{\"name\": \"x\",\n ]"));

    assertError(response, 400, null, "(line 2, column 2)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz", "application/octet-stream"})
  void create_wrongContentType_isToleratedWhenTheBodyParses(String contentType) throws Exception {
    HttpResponse<Buffer> response = await(client.post("/v1/functions")
        .putHeader("Content-Type", contentType)
        .sendBuffer(spec("tolerant").toBuffer()));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(registry.get("tolerant")).isPresent();
  }

  @Test
  void create_bodyOfTwoMiB_returns413AndTheConnectionStaysUsable() throws Exception {
    // One connection, so the follow-up request proves the oversized body was drained rather than left in the pipe.
    HttpClient single = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1));
    WebClient oneConnection = WebClient.wrap(single);
    try {
      HttpResponse<Buffer> response = await(oneConnection.post(server.actualPort(), "localhost", "/v1/functions")
          .sendBuffer(paddedSpec(2 * 1024 * 1024)));

      assertError(response, 413, null, "request body exceeds 1048576 bytes");
      HttpResponse<Buffer> next = await(oneConnection.post(server.actualPort(), "localhost", "/v1/functions")
          .sendJsonObject(spec("after-413")));
      assertThat(next.statusCode()).isEqualTo(201);
    } finally {
      await(single.close());
    }
    assertThat(registry.snapshot()).containsOnlyKeys("after-413");
  }

  @Test
  void create_chunkedBodyOverTheLimit_returns413() throws Exception {
    HttpClient http = vertx.createHttpClient();
    try {
      Buffer chunk = Buffer.buffer(" ".repeat(64 * 1024));
      JsonObject error = await(http.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setPort(server.actualPort()).setHost("localhost").setURI("/v1/functions"))
          .compose(request -> {
            request.setChunked(true);
            for (int i = 0; i < 32; i++) {
              request.write(chunk);
            }
            request.end();
            return request.response();
          })
          .compose(response -> {
            assertThat(response.statusCode()).isEqualTo(413);
            return response.body();
          })
          .map(Buffer::toJsonObject));

      assertThat(error.getJsonObject("error").getInteger("status")).isEqualTo(413);
    } finally {
      await(http.close());
    }
    assertStillServes();
  }

  @Test
  void create_expectContinue_isAnsweredBeforeTheBodyIsSent() throws Exception {
    HttpClient http = vertx.createHttpClient();
    try {
      Buffer body = spec("continued").put("env", new JsonObject().put("PAD", "x".repeat(4096))).toBuffer();
      int status = await(http.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setPort(server.actualPort()).setHost("localhost").setURI("/v1/functions"))
          .compose(request -> {
            request.putHeader("Content-Length", String.valueOf(body.length()))
                .putHeader("Expect", "100-continue")
                // The body goes out only once the server said 100 Continue.
                .continueHandler(ignored -> request.end(body));
            return request.writeHead().compose(ignored -> request.response());
          })
          .map(response -> response.statusCode()));

      assertThat(status).isEqualTo(201);
    } finally {
      await(http.close());
    }
    assertThat(registry.get("continued")).isPresent();
  }

  @Test
  void create_expectContinueWithOversizedLength_isRefusedWithoutTheBody() throws Exception {
    HttpClient http = vertx.createHttpClient();
    try {
      JsonObject error = await(http.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setPort(server.actualPort()).setHost("localhost").setURI("/v1/functions"))
          .compose(request -> {
            request.putHeader("Content-Length", String.valueOf(2 * 1024 * 1024))
                .putHeader("Expect", "100-continue")
                .continueHandler(ignored -> request.reset());
            return request.writeHead().compose(ignored -> request.response());
          })
          .compose(response -> {
            assertThat(response.statusCode()).isEqualTo(413);
            return response.body();
          })
          .map(Buffer::toJsonObject));

      assertThat(error.getJsonObject("error").getInteger("status")).isEqualTo(413);
    } finally {
      await(http.close());
    }
    assertStillServes();
  }

  @Test
  void create_bodyOfExactlyOneMiB_isAccepted() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/functions", paddedSpec(1024 * 1024));

    assertThat(response.statusCode()).isEqualTo(201);
  }

  // ---- GET /v1/functions, GET /v1/functions/{name}

  @Test
  void list_returnsEveryFunctionSortedByName() throws Exception {
    assertThat(send(HttpMethod.GET, "/v1/functions", null).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("functions", new JsonArray()));
    for (String name : List.of("zeta", "alpha", "mid-1")) {
      assertThat(post(spec(name)).statusCode()).isEqualTo(201);
    }

    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/functions", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonArray functions = response.bodyAsJsonObject().getJsonArray("functions");
    assertThat(functions.stream().map(f -> ((JsonObject) f).getString("name")))
        .containsExactly("alpha", "mid-1", "zeta");
    assertThat(functions.getJsonObject(0).getLong("revision")).isEqualTo(1);
  }

  @Test
  void get_unknownFunction_returns404() throws Exception {
    assertError(send(HttpMethod.GET, "/v1/functions/nope", null), 404, null, "function 'nope' not found");
  }

  // ---- PUT /v1/functions/{name}

  @Test
  void update_existingFunction_storesRevision2() throws Exception {
    JsonObject created = post(spec("hello")).bodyAsJsonObject();

    HttpResponse<Buffer> response = send(HttpMethod.PUT, "/v1/functions/hello",
        spec("hello").put("scaling", new JsonObject().put("maxScale", 3)).toBuffer());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject updated = response.bodyAsJsonObject();
    assertThat(updated.getLong("revision")).isEqualTo(2);
    assertThat(updated.getJsonObject("scaling").getInteger("maxScale")).isEqualTo(3);
    assertThat(updated.getString("createdAt")).isEqualTo(created.getString("createdAt"));
    assertThat(Instant.parse(updated.getString("updatedAt")))
        .isAfter(Instant.parse(created.getString("updatedAt")));
    JsonObject fetched = send(HttpMethod.GET, "/v1/functions/hello", null).bodyAsJsonObject();
    assertThat(fetched.copy().put("status", (Object) null)).isEqualTo(updated.copy().put("status", (Object) null));
  }

  @Test
  void update_bodyWithoutName_takesTheNameFromThePath() throws Exception {
    post(spec("hello"));
    JsonObject body = spec("hello");
    body.remove("name");

    HttpResponse<Buffer> response = send(HttpMethod.PUT, "/v1/functions/hello", body.put("port", 8080).toBuffer());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("port")).isEqualTo(8080);
    assertThat(response.bodyAsJsonObject().getLong("revision")).isEqualTo(2);
  }

  @Test
  void update_recordFetchedWithGet_canBeSentBack() throws Exception {
    JsonObject record = post(spec("hello")).bodyAsJsonObject();

    HttpResponse<Buffer> response = send(HttpMethod.PUT, "/v1/functions/hello", record.put("port", 81).toBuffer());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getLong("revision")).isEqualTo(2);
  }

  @Test
  void update_recordFetchedWithGet_sentBackAsItIs_answers200AndKeepsTheRevision() throws Exception {
    post(spec("hello").put("env", new JsonObject().put("MODE", "fast")));
    JsonObject fetched = send(HttpMethod.GET, "/v1/functions/hello", null).bodyAsJsonObject();
    assertThat(fetched.getJsonObject("status")).as("GET adds the status").isNotNull();

    HttpResponse<Buffer> response = send(HttpMethod.PUT, "/v1/functions/hello", fetched.toBuffer());

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject stored = fetched.copy();
    stored.remove("status");
    assertThat(response.bodyAsJsonObject()).as("the stored record, untouched").isEqualTo(stored);
    assertThat(registry.get("hello").orElseThrow().revision()).isEqualTo(1);

    JsonObject edited = fetched.copy();
    edited.getJsonObject("env").put("MODE", "slow");
    HttpResponse<Buffer> changed = send(HttpMethod.PUT, "/v1/functions/hello", edited.toBuffer());

    assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);
    assertThat(changed.bodyAsJsonObject().getLong("revision")).as("an edit is a new revision").isEqualTo(2);
    assertThat(changed.bodyAsJsonObject().getJsonObject("env").getString("MODE")).isEqualTo("slow");
  }

  @Test
  void update_readOnlyFieldsOfTheWrongType_areIgnored() throws Exception {
    post(spec("hello"));

    HttpResponse<Buffer> response = send(HttpMethod.PUT, "/v1/functions/hello", spec("hello").put("revision", "x")
        .put("status", 42).put("createdAt", false).put("port", 81).toBuffer());

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getLong("revision")).isEqualTo(2);
    assertThat(response.bodyAsJsonObject().getInteger("port")).isEqualTo(81);
  }

  @Test
  void update_bodyNameDiffersFromPath_returns400() throws Exception {
    post(spec("hello"));

    HttpResponse<Buffer> response = send(HttpMethod.PUT, "/v1/functions/hello", spec("other").toBuffer());

    assertError(response, 400, "name", "name 'other' in the body does not match 'hello' in the path");
    assertThat(registry.get("hello").orElseThrow().revision()).isEqualTo(1);
  }

  @Test
  void update_unknownFunction_returns404WithoutCreatingIt() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.PUT, "/v1/functions/ghost", spec("ghost").toBuffer());

    assertError(response, 404, null, "function 'ghost' not found");
    assertThat(registry.get("ghost")).isEmpty();
  }

  @Test
  void update_invalidSpec_returns400AndKeepsTheRevision() throws Exception {
    post(spec("hello"));

    HttpResponse<Buffer> response = send(HttpMethod.PUT, "/v1/functions/hello",
        spec("hello").put("resources", new JsonObject().put("memoryMiB", 0)).toBuffer());

    assertError(response, 400, "resources.memoryMiB", "at least 1, got 0");
    assertThat(registry.get("hello").orElseThrow().revision()).isEqualTo(1);
  }

  @Test
  void update_malformedJson_returns400() throws Exception {
    post(spec("hello"));

    assertError(send(HttpMethod.PUT, "/v1/functions/hello", Buffer.buffer("{")), 400, null, "malformed JSON: ");
  }

  // ---- DELETE /v1/functions/{name}

  @Test
  void delete_existingFunction_returnsTheDeletedRecord() throws Exception {
    JsonObject created = post(spec("hello")).bodyAsJsonObject();

    HttpResponse<Buffer> response = send(HttpMethod.DELETE, "/v1/functions/hello", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(created);
    assertThat(send(HttpMethod.GET, "/v1/functions/hello", null).statusCode()).isEqualTo(404);
    assertError(send(HttpMethod.DELETE, "/v1/functions/hello", null), 404, null, "function 'hello' not found");
  }

  // ---- instances, workers, cluster

  @Test
  void instances_knownFunction_listsItsInstancesSortedById() throws Exception {
    post(spec("hello"));
    InstanceView ready = new InstanceView("i-2", "hello", 1, "regular", "ready", "w-1", "10.0.0.5:31001",
        START, START.plusMillis(180), 180.0);
    InstanceView pending = new InstanceView("i-1", "hello", 1, "regular", "pending", "w-2", null, START, null,
        null);
    cluster.instances = Map.of("hello", List.of(ready, pending));

    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/functions/hello/instances", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonArray instances = response.bodyAsJsonObject().getJsonArray("instances");
    assertThat(instances).hasSize(2);
    assertThat(instances.getJsonObject(0)).isEqualTo(new JsonObject()
        .put("id", "i-1").put("function", "hello").put("revision", 1).put("kind", "regular")
        .put("state", "pending").put("workerId", "w-2").putNull("endpoint").put("createdAt", START.toString())
        .putNull("readyAt").putNull("creationMillis").putNull("lifetimeMillis").putNull("busyMillis")
        .putNull("memoryMiB").putNull("endedAt"));
    assertThat(instances.getJsonObject(1)).isEqualTo(new JsonObject()
        .put("id", "i-2").put("function", "hello").put("revision", 1).put("kind", "regular")
        .put("state", "ready").put("workerId", "w-1").put("endpoint", "10.0.0.5:31001")
        .put("createdAt", START.toString()).put("readyAt", "2025-03-01T10:00:00.180Z").put("creationMillis", 180.0)
        .putNull("lifetimeMillis").putNull("busyMillis").putNull("memoryMiB").putNull("endedAt"));
  }

  @Test
  void instances_functionWithoutInstances_returnsAnEmptyList() throws Exception {
    post(spec("idle"));

    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/functions/idle/instances", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("instances", new JsonArray()));
  }

  @Test
  void instances_unknownFunction_returns404() throws Exception {
    cluster.instances = Map.of("ghost", List.of(new InstanceView("i-1", "ghost", 1, "regular", "ready", "w-1",
        "h:1", START, START, 1.0)));

    assertError(send(HttpMethod.GET, "/v1/functions/ghost/instances", null), 404, null,
        "function 'ghost' not found");
  }

  @Test
  void workers_listsWorkersSortedById() throws Exception {
    cluster.workers = List.of(
        new WorkerView("w-b", "10.0.0.2:9093", "node-b", "process", 4000, 8192, 500, 512, 2, "alive", START),
        new WorkerView("w-a", "10.0.0.1:9093", "node-a", "fake", 2000, 4096, 0, 0, 0, "dead", START));

    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/workers", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonArray workers = response.bodyAsJsonObject().getJsonArray("workers");
    assertThat(workers.getJsonObject(0)).isEqualTo(new JsonObject()
        .put("id", "w-a").put("address", "10.0.0.1:9093").put("hostname", "node-a").put("runtime", "fake")
        .put("cpuMillis", 2000).put("memoryMiB", 4096).put("allocatedCpuMillis", 0).put("allocatedMemoryMiB", 0)
        .put("instances", 0).put("state", "dead").put("lastHeartbeat", START.toString()));
    assertThat(workers.getJsonObject(1).getString("id")).isEqualTo("w-b");
  }

  @Test
  void workers_aWorkerWithPoolsShowsItsPoolBudget() throws Exception {
    cluster.workers = List.of(new WorkerView("w-p", "10.0.0.3:9093", "node-c", "containerd", 2000, 3072, 0, 0, 0,
        "alive", START, 8, 1024));

    JsonObject worker = send(HttpMethod.GET, "/v1/workers", null).bodyAsJsonObject().getJsonArray("workers")
        .getJsonObject(0);

    assertThat(worker.getInteger("poolMembers")).isEqualTo(8);
    assertThat(worker.getInteger("poolMemoryMiB")).isEqualTo(1024);
    assertThat(worker.getInteger("memoryMiB")).isEqualTo(3072);
  }

  @Test
  void cluster_returnsTheViewWithCounts() throws Exception {
    post(spec("one"));
    post(spec("two"));
    cluster.cluster = new ClusterInfo("cp-2", List.of("cp-1", "cp-2", "cp-3"), "cp-1", 42L, 850.5);
    cluster.workers = List.of(
        new WorkerView("w-1", "a:1", "a", "process", 1, 1, 0, 0, 0, "alive", START),
        new WorkerView("w-2", "b:1", "b", "process", 1, 1, 0, 0, 0, "alive", START),
        new WorkerView("w-3", "c:1", "c", "process", 1, 1, 0, 0, 0, "dead", START));

    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/cluster", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("replicaId", "cp-2").put("members", new JsonArray().add("cp-1").add("cp-2").add("cp-3"))
        .put("leader", "cp-1").put("epoch", 42).put("lastFailoverMillis", 850.5).put("functions", 2)
        .put("workers", new JsonObject().put("alive", 2).put("draining", 0).put("dead", 1)));
  }

  // ---- the document, unknown routes and methods, unexpected failures

  @Test
  void openapi_servesTheYamlDocument() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/openapi.yaml", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/yaml");
    assertThat(response.bodyAsString()).startsWith("openapi: 3.0").contains("/v1/functions/{name}/instances:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/v1", "/v1/function", "/v2/functions",
      "/v1/functions/a/b", "/v1/workers/w-1"})
  void unknownRoute_returns404Json(String path) throws Exception {
    assertError(send(HttpMethod.GET, path, null), 404, null, "no route for GET " + path);
  }

  static Stream<Arguments> wrongMethods() {
    return Stream.of(
        arguments(HttpMethod.PATCH, "/v1/functions/hello"),
        arguments(HttpMethod.DELETE, "/v1/functions"),
        arguments(HttpMethod.PUT, "/v1/functions"),
        arguments(HttpMethod.POST, "/v1/functions/hello"),
        arguments(HttpMethod.POST, "/v1/workers"),
        arguments(HttpMethod.DELETE, "/v1/cluster"));
  }

  @ParameterizedTest
  @MethodSource("wrongMethods")
  void wrongMethod_returns405Json(HttpMethod method, String path) throws Exception {
    HttpResponse<Buffer> response = send(method, path, method == HttpMethod.DELETE ? null : spec("hello").toBuffer());

    assertError(response, 405, null, "method " + method.name() + " is not allowed on " + path);
    assertThat(registry.snapshot()).isEmpty();
  }

  @Test
  void unexpectedException_returns500AndTheServerKeepsServing() throws Exception {
    cluster.broken = true;

    assertError(send(HttpMethod.GET, "/v1/workers", null), 500, null, "internal error: cluster view exploded");
    assertError(send(HttpMethod.GET, "/v1/cluster", null), 500, null, "internal error: cluster view exploded");

    cluster.broken = false;
    assertThat(send(HttpMethod.GET, "/v1/workers", null).statusCode()).isEqualTo(200);
  }

  @Test
  void registryFailingUnexpectedly_returns500() throws Exception {
    await(server.close());
    startServer(new ForeignThreadRegistry(registry, command -> {
      throw new IllegalStateException("registry unavailable");
    }));

    assertError(post(spec("hello")), 500, null, "internal error: registry unavailable");
    assertStillServes();
  }

  @Test
  void registryCompletingOnAnotherThread_isAnsweredAllTheSame() throws Exception {
    ExecutorService elsewhere = Executors.newSingleThreadExecutor();
    try {
      await(server.close());
      startServer(new ForeignThreadRegistry(registry, elsewhere));

      assertThat(post(spec("hello")).statusCode()).isEqualTo(201);
      assertError(post(spec("hello")), 409, null, "already exists");
      HttpResponse<Buffer> updated = send(HttpMethod.PUT, "/v1/functions/hello",
          spec("hello").put("port", 8080).toBuffer());
      assertThat(updated.bodyAsJsonObject().getLong("revision")).isEqualTo(2);
      assertThat(send(HttpMethod.DELETE, "/v1/functions/hello", null).statusCode()).isEqualTo(200);
      assertError(send(HttpMethod.DELETE, "/v1/functions/hello", null), 404, null, "not found");
    } finally {
      elsewhere.shutdownNow();
    }
  }

  // ---- helpers

  static JsonObject spec(String name) {
    return new JsonObject().put("name", name).put("command", new JsonArray().add("run").add("${PORT}"));
  }

  /** A valid spec padded with whitespace to exactly {@code size} bytes. */
  private static Buffer paddedSpec(int size) {
    String json = spec("padded").encode();
    return Buffer.buffer(json.substring(0, json.length() - 1) + " ".repeat(size - json.length()) + "}");
  }

  private HttpResponse<Buffer> post(JsonObject body) throws Exception {
    return await(client.post("/v1/functions").sendJsonObject(body));
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, @Nullable Buffer body) throws Exception {
    var request = client.request(method, path);
    return await(body == null ? request.send() : request.sendBuffer(body));
  }

  private void assertStillServes() throws Exception {
    assertThat(send(HttpMethod.GET, "/v1/functions", null).statusCode()).isEqualTo(200);
  }

  private static void assertError(HttpResponse<Buffer> response, int status, @Nullable String field,
      String messagePart) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(status);
    assertThat(error.getString("message")).contains(messagePart);
    assertThat(error.getString("field")).isEqualTo(field);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A clock that moves one second forward each time it is read, so successive writes get distinct times. */
  private static final class SteppingClock extends Clock {
    private final Instant start;
    private final AtomicLong reads = new AtomicLong();

    SteppingClock(Instant start) {
      this.start = start;
    }

    @Override
    public Instant instant() {
      return start.plusSeconds(reads.getAndIncrement());
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
