package io.pulse.worker.sandbox.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.vertx.core.Vertx;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeHttpSandboxTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void create_servesHttpOnItsEndpointUntilDeleted() throws Exception {
    FakeSandboxRuntime runtime = new FakeSandboxRuntime(vertx, "127.0.0.1",
        FakeProfile.DEFAULT.withColdStartMs(new Distribution.Uniform(5, 20)), 30000, 39999);
    CreatedSandbox created = runtime.create("f-1-a", SandboxKind.EMERGENCY,
        SandboxSpec.ofCommand("f", 1, List.of("fake"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    String url = "http://127.0.0.1:" + created.sandbox().endpoint().port();
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> greeting = http.send(HttpRequest.newBuilder(URI.create(url + "/?sleep=50")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> echo = http.send(HttpRequest.newBuilder(URI.create(url + "/"))
        .POST(HttpRequest.BodyPublishers.ofString("hi")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(greeting.statusCode()).isEqualTo(200);
    assertThat(greeting.body()).contains("instance=f-1-a");
    assertThat(greeting.headers().firstValue("X-Pulse-Instance")).contains("f-1-a");
    assertThat(echo.body()).isEqualTo("hi");
    assertThat(runtime.delete("f-1-a").toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void closeParameter_closesTheConnectionAfterTheAnswerWithoutSayingSo() throws Exception {
    FakeSandboxRuntime runtime = new FakeSandboxRuntime(vertx, "127.0.0.1", FakeProfile.DEFAULT, 38000, 38099);
    CreatedSandbox created = runtime.create("f-1-c", SandboxKind.EMERGENCY,
        SandboxSpec.ofCommand("f", 1, List.of("fake"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (Socket socket = new Socket("127.0.0.1", created.sandbox().endpoint().port())) {
      socket.setSoTimeout(30_000); // a kept-alive connection would block the read below: the test fails then
      socket.getOutputStream().write("GET /?close=1 HTTP/1.1\r\nHost: f\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(answer).startsWith("HTTP/1.1 200").contains("instance=f-1-c");
      assertThat(answer.toLowerCase(java.util.Locale.ROOT)).doesNotContain("connection: close");
    } finally {
      runtime.delete("f-1-c").toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void distribution_parsesEveryFormAndNamesTheFieldOnError() {
    assertThat(Distribution.parse("x", "50")).isEqualTo(new Distribution.Constant(50));
    assertThat(Distribution.parse("x", "uniform:20:80").spec()).isEqualTo("uniform:20:80");
    assertThat(Distribution.parse("x", "exp:40")).isEqualTo(new Distribution.Exponential(40));
    assertThat(Distribution.parse("x", "lognormal:50:0.5")).isEqualTo(new Distribution.LogNormal(50, 0.5));
    assertThatThrownBy(() -> Distribution.parse("fakeColdStartMs", "uniform:9:1"))
        .hasMessageContaining("fakeColdStartMs");
    assertThatThrownBy(() -> Distribution.parse("fakeExecMs", "-3")).hasMessageContaining("fakeExecMs");
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 100; i++) {
      assertThat(new Distribution.Uniform(20, 80).sample(random)).isBetween(20.0, 80.0);
    }
  }
}
