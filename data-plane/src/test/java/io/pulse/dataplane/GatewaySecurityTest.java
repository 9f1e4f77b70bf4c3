package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.http.ListenerOptions;
import io.pulse.common.testing.RawHttp;
import io.pulse.common.testing.TestPki;
import io.pulse.common.tls.PemTrust;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway's listener: HTTPS with a certificate made in the test, the header limit, the idle timeout. Under each
 * forwarding (the byte-level forwarder serves cleartext connections past their first request).
 */
@ParameterizedClass
@EnumSource(Forwarding.class)
class GatewaySecurityTest {

  @TempDir Path dir;
  @Parameter Forwarding forwarding;

  @Test
  void https_servesInvocations_andRefusesPlainHttp() throws Exception {
    TestPki pki = TestPki.create(dir);
    try (DataPlaneFixture fx = DataPlaneFixture.start(forwarding, c -> c.withGateway(
        ListenerOptions.plain(60).withTls(pki.issue("gateway"))));
        HttpClient tls = HttpClient.newBuilder().sslContext(PemTrust.sslContext(pki.caCert()))
            .connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> answer = tls.send(HttpRequest.newBuilder(URI.create("https://localhost:"
          + fx.dataPlane.httpPort() + "/fn/nothing-here/")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(404);
      assertThat(new JsonObject(answer.body()).getJsonObject("error").getString("message"))
          .contains("nothing-here");
      try (HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + fx.dataPlane.httpPort() + "/fn/nothing-here/")).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void limits_oversizedHeadersAre431_silentConnectionsAreClosed() throws Exception {
    try (DataPlaneFixture fx = DataPlaneFixture.start(forwarding, c -> c.withGateway(
        ListenerOptions.plain(1).withMaxHeaderBytes(4096)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build()) {
      URI uri = URI.create("http://127.0.0.1:" + fx.dataPlane.httpPort() + "/fn/nothing-here/");
      HttpResponse<String> big = http.send(HttpRequest.newBuilder(uri).header("X-Padding", "x".repeat(6000))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(big.statusCode()).isEqualTo(431);
      // The same to a function with a free slot, on a connection past its first request: the limit is the listener's,
      // whichever forwarding reads the head.
      try (RecordingBackend backend = RecordingBackend.start(fx.vertx)) {
        fx.controlPlane.upsert(route("echo", 10, instance("echo-1", backend.port())));
        fx.awaitInstances("echo", 1);
        List<RawHttp.Response> refused = SocketClient.exchangeAfterWarmUp(fx.dataPlane.httpPort(),
            "GET /fn/echo/ HTTP/1.1\r\nHost: x\r\nX-Padding: " + "x".repeat(6000) + "\r\n\r\n", false);
        assertThat(refused).extracting(RawHttp.Response::status).containsExactly(431);
        assertThat(backend.seenLines()).isEmpty();
      }
      HttpResponse<String> small = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(small.statusCode()).isEqualTo(404);

      try (SocketClient client = new SocketClient(fx.dataPlane.httpPort())) {
        client.warmUp(); // the next request is the byte-level forwarder's to read when it is on
        client.send("GET /fn/x/ HTTP/1.1\r\nHost: x\r\n"); // headers never end
        assertThat(client.closedByPeer()).as("the gateway closed the silent connection").isTrue();
      }
    }
  }
}
