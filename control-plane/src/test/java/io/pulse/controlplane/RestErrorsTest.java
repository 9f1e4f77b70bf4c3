package io.pulse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.net.HostPort;
import io.pulse.common.testing.RawHttp;
import io.pulse.controlplane.security.ApiSecurity;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every error of a real control plane's REST port (the API under /v1 and the admin endpoints beside it) is in the
 * JSON error shape, whichever layer answers it: the router (404, 405 with Allow), the HTTP decoder (431, 400) or the
 * framing check; and HEAD answers wherever GET does, with the same status and headers and no body.
 */
class RestErrorsTest {

  private static final String TOKEN = "token-of-the-rest-errors-test";

  private static final Vertx vertx = Vertx.vertx();
  private static @Nullable ControlPlane controlPlane;
  private static int port;

  @BeforeAll
  static void start() {
    ControlPlaneConfig config = ControlPlaneConfig.defaults().withRestBind(new HostPort("127.0.0.1", 0))
        .withGrpcBind(new HostPort("127.0.0.1", 0)).withSecurity(ApiSecurity.defaults().withToken(TOKEN));
    controlPlane = ControlPlane.start(vertx, config, new PrometheusRegistry(), new Readiness()).await();
    port = controlPlane.restPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (controlPlane != null) {
      controlPlane.close().await(20, TimeUnit.SECONDS);
    }
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void unknownRoutes_areJson404_insideAndOutsideV1() {
    assertJsonError(send("GET", "/nothing"), 404, "no route for GET /nothing");
    assertJsonError(send("GET", "/v1/nothing"), 404, "no route for GET /v1/nothing");
    assertJsonError(send("GET", "/v1/functions/ghost"), 404, "function 'ghost' not found");
  }

  @Test
  void wrongMethods_areJson405_withAllow() {
    RawHttp.Response workers = send("DELETE", "/v1/workers");
    assertJsonError(workers, 405, "method DELETE is not allowed on /v1/workers");
    assertThat(workers.header("Allow")).isEqualTo("GET, HEAD");

    RawHttp.Response function = send("PATCH", "/v1/functions/hello");
    assertJsonError(function, 405, "method PATCH is not allowed on /v1/functions/hello");
    assertThat(function.header("Allow")).isEqualTo("DELETE, GET, HEAD, PUT");

    RawHttp.Response healthz = send("POST", "/healthz");
    assertJsonError(healthz, 405, "method POST is not allowed on /healthz");
    assertThat(healthz.header("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void oversizedHeaders_areJson431_andTheConnectionIsClosed() {
    List<RawHttp.Response> responses = RawHttp.exchange(port,
        "GET /v1/functions HTTP/1.1\r\nHost: x\r\nX-Padding: " + "x".repeat(10_000) + "\r\n\r\n");
    assertThat(responses).hasSize(1);
    assertJsonError(responses.getFirst(), 431, null);
    assertThat(responses.getFirst().header("Connection")).isEqualTo("close");
  }

  @Test
  void malformedRequests_areJson400_andTheConnectionIsClosed() {
    List<RawHttp.Response> responses = RawHttp.exchange(port, "GET /v1/functions HTTP/1.1\r\nBad Header: y\r\n\r\n");
    assertThat(responses).hasSize(1);
    assertJsonError(responses.getFirst(), 400, null);
  }

  @Test
  void transferEncodingNotEndingInChunked_isJson400_andNothingAfterItIsRead() {
    List<RawHttp.Response> responses = RawHttp.exchange(port, "POST /v1/functions HTTP/1.1\r\nHost: x\r\n"
        + "Authorization: Bearer " + TOKEN + "\r\nTransfer-Encoding: gzip\r\n\r\n"
        + "DELETE /v1/functions/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n");
    assertThat(responses).hasSize(1);
    assertJsonError(responses.getFirst(), 400,
        "the final transfer coding of a request must be chunked, got Transfer-Encoding: gzip");
  }

  @Test
  void head_answersLikeGet_withoutABody() {
    for (String path : List.of("/v1/functions", "/v1/workers", "/v1/cluster", "/v1/accounting",
        "/v1/functions/ghost", "/v1/openapi.yaml", "/healthz", "/readyz", "/nothing")) {
      RawHttp.Response get = send("GET", path);
      RawHttp.Response head = RawHttp.head(port, request("HEAD", path));
      assertThat(head.status()).as(path).isEqualTo(get.status());
      assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
      assertThat(head.body()).as(path).isEmpty();
      if (!path.equals("/nothing") && !path.equals("/v1/accounting")) { // these name the method, or the time
        assertThat(head.header("Content-Length")).as(path).isEqualTo(get.header("Content-Length"));
      }
    }
  }

  private static RawHttp.Response send(String method, String path) {
    List<RawHttp.Response> responses = RawHttp.exchange(port, request(method, path));
    assertThat(responses).hasSize(1);
    return responses.getFirst();
  }

  private static String request(String method, String path) {
    return method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  }

  private static void assertJsonError(RawHttp.Response response, int status, @Nullable String message) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(status);
    if (message != null) {
      assertThat(error.getString("message")).isEqualTo(message);
    } else {
      assertThat(error.getString("message")).isNotBlank();
    }
  }
}
