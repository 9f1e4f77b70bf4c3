package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway's own answers are in the JSON error shape, including those of the HTTP decoder (431, 400), and HEAD
 * gets the same status and headers as GET without the body. (Every method is proxied, so the gateway has no 405.)
 * Under each forwarding, each request the second on its connection, where the byte-level forwarder reads it first.
 */
@ParameterizedClass
@EnumSource(Forwarding.class)
class GatewayErrorsTest {

  private static DataPlaneFixture fx;
  private static RecordingBackend backend;

  @Parameter Forwarding forwarding;

  @BeforeParameterizedClassInvocation
  static void start(Forwarding forwarding) throws Exception {
    fx = DataPlaneFixture.start(forwarding);
    fx.awaitReady();
    backend = RecordingBackend.start(fx.vertx);
    fx.controlPlane.upsert(route("echo", 10, instance("echo-1", backend.port())));
    fx.awaitInstances("echo", 1);
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    backend.close();
    fx.close();
  }

  @Test
  void noFunctionNamed_isJson404() throws IOException {
    List<RawHttp.Response> responses = exchange(
        "GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(responses).hasSize(1);
    assertJsonError(responses.getFirst(), 404);
    assertThat(responses.getFirst().body()).contains("/fn/{name}/");
  }

  @Test
  void head_ofAnError_hasTheHeadersOfGetWithoutTheBody() throws IOException {
    for (String path : List.of("/nothing", "/fn/unknown-function/x")) {
      RawHttp.Response get = exchange(
          "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getFirst();
      List<RawHttp.Response> heads = SocketClient.exchangeAfterWarmUp(fx.dataPlane.httpPort(),
          "HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", true);
      assertThat(heads).hasSize(1);
      RawHttp.Response head = heads.getFirst();
      assertThat(head.status()).as(path).isEqualTo(get.status()).isEqualTo(404);
      assertThat(head.header("Content-Type")).as(path).isEqualTo("application/json");
      assertThat(head.header("Content-Length")).as(path).isEqualTo(get.header("Content-Length"));
      assertThat(head.body()).isEmpty();
    }
  }

  @Test
  void oversizedHeaders_isJson431AndTheConnectionIsClosed() throws IOException {
    List<RawHttp.Response> responses = exchange(
        "GET /fn/x/ HTTP/1.1\r\nHost: x\r\nX-Padding: " + "x".repeat(10_000) + "\r\n\r\n");
    assertThat(responses).hasSize(1);
    assertJsonError(responses.getFirst(), 431);
    assertThat(responses.getFirst().header("Connection")).isEqualTo("close");
  }

  @Test
  void requestLineOverTheLimit_toAFunction_isJson414AndNeverProxied() throws IOException {
    backend.forget();
    // Within the 8 KiB the byte-level forwarder reads a head in, over the HTTP decoder's 4 KiB request line.
    List<RawHttp.Response> responses = exchange(
        "GET /fn/echo/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(responses).hasSize(1);
    assertJsonError(responses.getFirst(), 414);
    assertThat(responses.getFirst().header("Connection")).isEqualTo("close");
    assertThat(backend.seenLines()).isEmpty();
  }

  @Test
  void malformedRequest_isJson400AndTheConnectionIsClosed() throws IOException {
    List<RawHttp.Response> responses = exchange(
        "GET /fn/x/ HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");
    assertThat(responses).hasSize(1);
    assertJsonError(responses.getFirst(), 400);
    assertThat(responses.getFirst().header("Connection")).isEqualTo("close");
  }

  private static List<RawHttp.Response> exchange(String request) throws IOException {
    return SocketClient.exchangeAfterWarmUp(fx.dataPlane.httpPort(), request, false);
  }

  private static void assertJsonError(RawHttp.Response response, int status) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(status);
    assertThat(error.getString("message")).isNotBlank();
  }
}
