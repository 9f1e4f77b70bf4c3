package io.pulse.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.registry.InMemoryFunctionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API mounted as the control plane mounts it: a sub-router of a root router that serves admin routes first. Its
 * JSON error shape must survive the mounting, and it must not shadow the routes mounted before it.
 */
@ExtendWith(VertxExtension.class)
class MountedRestApiTest {

  private final FakeClusterView cluster = new FakeClusterView();
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    Router root = Router.router(vertx);
    root.get("/healthz").handler(ctx -> ctx.response().end("ok"));
    root.route("/*").subRouter(RestApi.router(vertx, new InMemoryFunctionRegistry(Clock.systemUTC()), cluster));
    server = await(vertx.createHttpServer().requestHandler(root).listen(0));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(server.actualPort()));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    await(server.close());
  }

  @Test
  void rootRouteMountedBefore_stillAnswers() throws Exception {
    assertThat(send(HttpMethod.GET, "/healthz").bodyAsString()).isEqualTo("ok");
  }

  @Test
  void unknownRouteOutsideV1_isJson404() throws Exception {
    // The API answers everything the root did not serve before it: mount it last.
    assertJsonError(send(HttpMethod.GET, "/metricz"), 404);
  }

  @Test
  void functionsRoute_answersThroughTheMount() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/functions");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("functions")).isEmpty();
  }

  @Test
  void unknownRouteUnderV1_isJson404() throws Exception {
    assertJsonError(send(HttpMethod.GET, "/v1/nothing"), 404);
  }

  @Test
  void wrongMethod_isJson405() throws Exception {
    assertJsonError(send(HttpMethod.DELETE, "/v1/workers"), 405);
  }

  @Test
  void unexpectedFailure_isJson500() throws Exception {
    cluster.broken = true;

    assertJsonError(send(HttpMethod.GET, "/v1/cluster"), 500);
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path) throws Exception {
    return await(client.request(method, path).send());
  }

  private static void assertJsonError(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(status);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
