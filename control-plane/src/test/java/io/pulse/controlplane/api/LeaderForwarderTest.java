package io.pulse.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.testing.TestPki;
import io.pulse.common.tls.PemFiles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's write forwarded to a leader that serves REST over TLS (certificates from a test CA): sent when the
 * leader's certificate checks out against the replicas' CA, refused (503, the token never sent) when it does not.
 */
class LeaderForwarderTest {

  private static final String TOKEN = "Bearer forwarded-token-1234567890";

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicInteger leaderCalls = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The leader: HTTPS with a certificate of {@code pki}; answers a registration 201 with what it received. */
  private int leader(TestPki pki) throws Exception {
    PemFiles cert = pki.issue("leader");
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(cert.cert().toString()).setKeyPath(cert.key().toString()));
    return vertx.createHttpServer(options).requestHandler(request -> request.body().onSuccess(body -> {
      leaderCalls.incrementAndGet();
      request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("token", request.getHeader("Authorization"))
              .put("forwardedBy", request.getHeader(WriteRoute.FORWARDED_BY))
              .put("body", body.toString()).encode());
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  /** The follower: forwards every request to the leader at {@code leaderPort}, trusting {@code peerCa}. */
  private int follower(int leaderPort, @Nullable Path peerCa) throws Exception {
    LeaderForwarder forwarder = new LeaderForwarder(vertx, "cp-2", true, peerCa);
    Router router = Router.router(vertx);
    router.route().handler(ctx -> forwarder.forward(ctx, new WriteRoute.Forward("cp-1", "127.0.0.1:" + leaderPort)));
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS)
        .actualPort();
  }

  private HttpResponse<String> post(int port) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/functions"))
        .timeout(Duration.ofSeconds(20)).header("Authorization", TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"f\"}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void tlsLeader_signedByThePeerCa_getsTheWrite() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    int leaderPort = leader(pki);
    HttpResponse<String> answer = post(follower(leaderPort, pki.caCert()));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    assertThat(answer.headers().firstValue("Pulse-Leader")).contains("https://127.0.0.1:" + leaderPort);
    JsonObject seen = new JsonObject(answer.body());
    assertThat(seen.getString("token")).isEqualTo(TOKEN);
    assertThat(seen.getString("forwardedBy")).isEqualTo("cp-2");
    assertThat(seen.getString("body")).isEqualTo("{\"name\":\"f\"}");
  }

  @Test
  void tlsLeader_signedByAnotherCa_isNotSentTheToken() throws Exception {
    int leaderPort = leader(TestPki.create(dir.resolve("leader-pki")));
    Path otherCa = TestPki.create(dir.resolve("other-pki")).caCert();
    HttpResponse<String> answer = post(follower(leaderPort, otherCa));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Retry-After")).contains("1");
    assertThat(answer.headers().firstValue("Pulse-Leader")).contains("https://127.0.0.1:" + leaderPort);
    assertThat(leaderCalls).hasValue(0);
  }
}
