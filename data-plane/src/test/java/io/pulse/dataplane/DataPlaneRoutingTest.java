package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routing by path and by Host, any method, header rules and the 404/413 answers, through real sockets. */
class DataPlaneRoutingTest {

  private static DataPlaneFixture fx;
  private static HttpServer echo;

  @BeforeAll
  static void start() throws Exception {
    fx = DataPlaneFixture.start(c -> c.withMaxRequestBodyBytes(1024));
    // Answers with what it received, so the tests can see exactly what the gateway forwarded.
    echo = fx.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject seen = new JsonObject().put("method", req.method().name()).put("uri", req.uri())
          .put("host", req.getHeader("Host")).put("body", body.toString());
      req.headers().forEach((name, value) -> seen.put("h-" + name.toLowerCase(), value));
      req.response().putHeader("X-Echo-Method", req.method().name()).putHeader("Connection", "keep-alive, X-Hop")
          .putHeader("X-Hop", "secret").end(seen.encode());
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    fx.controlPlane.upsert(route("echo", 10, instance("echo-1", echo.actualPort())));
    fx.awaitInstances("echo", 1);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  private static JsonObject seen(TestHttp.Reply reply) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return new JsonObject(reply.body());
  }

  @Test
  void pathForm_forwardsTheRestWithItsQuery() {
    assertThat(seen(fx.http.get("/fn/echo/a/b?x=1&y=%20z")).getString("uri")).isEqualTo("/a/b?x=1&y=%20z");
    assertThat(seen(fx.http.get("/fn/echo")).getString("uri")).isEqualTo("/");
    assertThat(seen(fx.http.get("/fn/echo?q=1")).getString("uri")).isEqualTo("/?q=1");
  }

  @Test
  void hostForm_forwardsThePathUnchanged() {
    int port = fx.dataPlane.httpPort();
    TestHttp.Reply reply = await(fx.http.send(HttpMethod.GET, "/fn/other/x?k=v", "echo.fn.localhost", null));
    JsonObject seen = seen(reply);
    assertThat(seen.getString("uri")).isEqualTo("/fn/other/x?k=v");
    assertThat(seen.getString("h-x-forwarded-host")).isEqualTo("echo.fn.localhost:" + port);
  }

  @Test
  void anyMethod_reachesTheInstanceWithItsBody() {
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.PATCH, HttpMethod.OPTIONS)) {
      Buffer body = method == HttpMethod.GET ? null : Buffer.buffer("payload-" + method.name());
      JsonObject seen = seen(await(fx.http.send(method, "/fn/echo/m", null, body)));
      assertThat(seen.getString("method")).isEqualTo(method.name());
      assertThat(seen.getString("body")).isEqualTo(body == null ? "" : body.toString());
    }
    TestHttp.Reply head = await(fx.http.send(HttpMethod.HEAD, "/fn/echo/m", null, null));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.headers().get("X-Echo-Method")).isEqualTo("HEAD");
    assertThat(head.body().length()).isZero();
  }

  @Test
  void headers_forwardedSetAndHopByHopDropped() throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI("/fn/echo/h")
        .setServer(SocketAddress.inetSocketAddress(fx.dataPlane.httpPort(), "127.0.0.1"))
        .putHeader("X-Custom", "kept").putHeader("X-Forwarded-For", "10.1.1.1")
        .putHeader("Connection", "keep-alive, X-Private").putHeader("X-Private", "dropped")
        .putHeader("Proxy-Authorization", "Basic Zm9vOmJhcg==");
    TestHttp.Reply reply = await(fx.http.client().request(options)
        .compose(request -> request.send().compose(TestHttp::reply)));
    JsonObject seen = seen(reply);
    assertThat(seen.getString("h-x-custom")).isEqualTo("kept");
    assertThat(seen.getString("h-x-forwarded-for")).isEqualTo("10.1.1.1, 127.0.0.1");
    assertThat(seen.getString("h-x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.containsKey("h-x-private")).isFalse();
    assertThat(seen.containsKey("h-proxy-authorization")).isFalse();
    // And on the way back: the instance's Connection-named header does not reach the client.
    assertThat(reply.headers().get("X-Hop")).isNull();
    assertThat(reply.headers().get("X-Echo-Method")).isEqualTo("GET");
  }

  @Test
  void unknownFunction_is404NamingIt() {
    TestHttp.Reply reply = fx.http.get("/fn/nope/x");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.error().getString("message")).contains("'nope'");
    TestHttp.Reply byHost = await(fx.http.send(HttpMethod.GET, "/", "ghost.fn.localhost", null));
    assertThat(byHost.status()).isEqualTo(404);
    assertThat(byHost.error().getString("message")).contains("'ghost'");
  }

  @Test
  void neitherForm_is404WithAHint() {
    TestHttp.Reply reply = fx.http.get("/echo");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(reply.error().getString("message")).contains("/fn/{name}").contains("{name}.fn.localhost");
  }

  @Test
  void declaredBodyOverTheLimit_is413() {
    TestHttp.Reply reply = await(fx.http.send(HttpMethod.POST, "/fn/echo/", null, Buffer.buffer(new byte[2048])));
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.error().getString("field")).isEqualTo("Content-Length");
    // A body under the limit still goes through.
    assertThat(seen(await(fx.http.send(HttpMethod.POST, "/fn/echo/", null, Buffer.buffer(new byte[1000]))))
        .getString("method")).isEqualTo("POST");
  }

  @Test
  void metrics_countInvocationsByFunctionAndCode() {
    double before = fx.metric("pulse_dataplane_invocations_total", "function=echo", "code=200");
    fx.http.get("/fn/echo/count");
    // Counted when the gateway's side of the exchange ends, which may trail the client's read by a moment.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(fx.metric("pulse_dataplane_invocations_total", "function=echo", "code=200"))
            .isEqualTo(before + 1));
    assertThat(fx.metric("pulse_dataplane_request_seconds_count", "function=echo")).isGreaterThan(0);
    assertThat(fx.metric("pulse_dataplane_instances", "function=echo")).isEqualTo(1);
    fx.awaitReady();
  }
}
