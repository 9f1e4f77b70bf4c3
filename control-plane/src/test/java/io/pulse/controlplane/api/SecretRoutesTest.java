package io.pulse.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.RegistryReplication;
import io.pulse.controlplane.registry.ReplicatedFunctionRegistry;
import io.pulse.controlplane.secrets.OpenedSecret;
import io.pulse.controlplane.secrets.SecretCipher;
import io.pulse.controlplane.secrets.Secrets;
import io.pulse.controlplane.state.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * /v1/secrets over real HTTP on the durable registry (in-memory store, one replica): every case, and no answer ever
 * carries a value.
 */
@ExtendWith(VertxExtension.class)
class SecretRoutesTest {

  private static final String VALUE = "s3cr3t-value-never-answered";
  private static final String NEW_VALUE = "n3w-s3cr3t-value-never-answered";

  private ReplicatedFunctionRegistry registry;
  private Secrets secrets;
  private HttpServer server;
  private WebClient client;
  private final List<String> bodies = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    registry = new ReplicatedFunctionRegistry(Clock.systemUTC(), StateStore.inMemory(), RegistryReplication.solo(1));
    secrets = new Secrets(SecretCipher.ephemeral(), registry);
    server = await(vertx.createHttpServer()
        .requestHandler(RestApi.router(vertx, registry, new FakeClusterView(), secrets)).listen(0));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(server.actualPort()));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    await(server.close());
    registry.close();
    // Whatever the case, no answer carried a value.
    assertThat(bodies).noneMatch(body -> body.contains(VALUE) || body.contains(NEW_VALUE));
  }

  @Test
  void createListGetUpdateDelete_answersDescribeTheSecretWithoutItsValue() throws Exception {
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/v1/secrets",
        new JsonObject().put("name", "db-password").put("value", VALUE));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.getHeader("Location")).isEqualTo("/v1/secrets/db-password");
    assertThat(created.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("name", "revision", "createdAt",
        "updatedAt");
    assertThat(created.bodyAsJsonObject().getLong("revision")).isEqualTo(1);

    HttpResponse<Buffer> list = send(HttpMethod.GET, "/v1/secrets", null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.bodyAsJsonObject().getJsonArray("secrets")).hasSize(1);
    assertThat(list.bodyAsJsonObject().getJsonArray("secrets").getJsonObject(0).getString("name"))
        .isEqualTo("db-password");
    assertThat(send(HttpMethod.GET, "/v1/secrets/db-password", null).bodyAsJsonObject())
        .isEqualTo(created.bodyAsJsonObject());

    HttpResponse<Buffer> updated = send(HttpMethod.PUT, "/v1/secrets/db-password",
        new JsonObject().put("value", NEW_VALUE));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.bodyAsJsonObject().getLong("revision")).isEqualTo(2);
    FunctionSpec naming = new FunctionSpec("web", null, List.of("x"), 0, java.util.Map.of(),
        new FunctionSpec.Resources(1, 1), new FunctionSpec.Scaling(0, 0, 1, 60), 30,
        List.of(io.pulse.controlplane.registry.SecretRef.file("db-password")));
    List<OpenedSecret> opened = secrets.open(naming);
    assertThat(new String(opened.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo(NEW_VALUE);

    HttpResponse<Buffer> deleted = send(HttpMethod.DELETE, "/v1/secrets/db-password", null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(send(HttpMethod.GET, "/v1/secrets/db-password", null).statusCode()).isEqualTo(404);
    assertThat(send(HttpMethod.GET, "/v1/secrets", null).bodyAsJsonObject().getJsonArray("secrets")).isEmpty();
  }

  @Test
  void create_badInput_is400NamingTheField_withoutRepeatingTheValue() throws Exception {
    assertError(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("value", VALUE)), 400, "name");
    assertError(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("name", "Bad_Name").put("value", VALUE)),
        400, "name");
    assertError(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("name", "db")), 400, "value");
    assertError(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("name", "db").put("value", 42)), 400,
        "value");
    assertError(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("name", "db").put("value",
        "x".repeat(Secrets.MAX_VALUE_BYTES + 1))), 400, "value");
    assertError(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("name", "db").put("value", VALUE)
        .put("vaule", VALUE)), 400, "vaule");
    assertError(send(HttpMethod.PUT, "/v1/secrets/db", new JsonObject().put("name", "other").put("value", VALUE)),
        400, "name");
  }

  @Test
  void conflictsAndMissing_are409And404() throws Exception {
    assertThat(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("name", "db").put("value", VALUE))
        .statusCode()).isEqualTo(201);
    assertError(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("name", "db").put("value", VALUE)), 409,
        null);
    assertError(send(HttpMethod.PUT, "/v1/secrets/nope", new JsonObject().put("value", VALUE)), 404, null);
    assertError(send(HttpMethod.DELETE, "/v1/secrets/nope", null), 404, null);
  }

  @Test
  void functions_namingSecrets_400ForAMissingOne_409OnDeletingOneInUse() throws Exception {
    JsonObject spec = new JsonObject().put("name", "web").put("command", new JsonArray().add("run"))
        .put("secrets", new JsonArray().add("db").add(new JsonObject().put("name", "api-key").put("env", "API_KEY")));
    assertThat(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("name", "db").put("value", VALUE))
        .statusCode()).isEqualTo(201);
    HttpResponse<Buffer> missing = send(HttpMethod.POST, "/v1/functions", spec);
    assertError(missing, 400, "secrets[1].name");
    assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("secret 'api-key' does not exist");

    assertThat(send(HttpMethod.POST, "/v1/secrets", new JsonObject().put("name", "api-key").put("value", NEW_VALUE))
        .statusCode()).isEqualTo(201);
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/v1/functions", spec);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getJsonArray("secrets")).isEqualTo(spec.getJsonArray("secrets"));

    HttpResponse<Buffer> inUse = send(HttpMethod.DELETE, "/v1/secrets/db", null);
    assertError(inUse, 409, null);
    assertThat(inUse.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("function web");
    assertThat(send(HttpMethod.DELETE, "/v1/functions/web", null).statusCode()).isEqualTo(200);
    assertThat(send(HttpMethod.DELETE, "/v1/secrets/db", null).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutSecrets_everySecretCallIs501(Vertx vertx) throws Exception {
    HttpServer bare = await(vertx.createHttpServer()
        .requestHandler(RestApi.router(vertx, registry, new FakeClusterView())).listen(0));
    try {
      HttpResponse<Buffer> answer = await(client.get(bare.actualPort(), "localhost", "/v1/secrets").send());
      assertThat(answer.statusCode()).isEqualTo(501);
    } finally {
      await(bare.close());
    }
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, @Nullable JsonObject body) throws Exception {
    var request = client.request(method, path);
    HttpResponse<Buffer> response = await(body == null ? request.send() : request.sendJsonObject(body));
    bodies.add(response.bodyAsString() == null ? "" : response.bodyAsString());
    return response;
  }

  private static void assertError(HttpResponse<Buffer> response, int status, @Nullable String field) {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(status);
    assertThat(error.getString("field")).isEqualTo(field);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
