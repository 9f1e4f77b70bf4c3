package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling at the gateway, on a raw socket: a request whose Transfer-Encoding does not end in chunked alone
 * (or that has Content-Length too) is refused before it is proxied and its connection closed, so the bytes after its
 * headers never become a second request; a chunked request still streams to the function. Under each forwarding, and
 * each request the second on its connection (after one the gateway answers itself), where the byte-level forwarder
 * reads it first.
 */
@ParameterizedClass
@EnumSource(Forwarding.class)
class GatewayFramingTest {

  /** What an attacker puts after the headers: a front end that honours the odd coding sees it as body. */
  private static final String SMUGGLED = "GET /fn/echo/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  /** A chunked body's end, for the shapes Netty reads as chunked (any coding named chunked). */
  private static final String LAST_CHUNK = "0\r\n\r\n";

  private static DataPlaneFixture fx;
  private static RecordingBackend backend;

  @Parameter Forwarding forwarding;
  private double rawBefore;

  @BeforeParameterizedClassInvocation
  static void start(Forwarding forwarding) throws Exception {
    fx = DataPlaneFixture.start(forwarding);
    backend = RecordingBackend.start(fx.vertx);
    fx.controlPlane.upsert(route("echo", 10, instance("echo-1", backend.port())));
    fx.awaitInstances("echo", 1);
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    backend.close();
    fx.close();
  }

  @BeforeEach
  void forget() {
    backend.forget();
    rawBefore = fx.rawExchanges();
  }

  /** {@code request} after the warm-up on its connection; every answer until the gateway closed the connection. */
  private static List<RawHttp.Response> exchange(String request) throws IOException {
    return SocketClient.exchangeAfterWarmUp(fx.dataPlane.httpPort(), request, false);
  }

  static Stream<Arguments> refusedShapes() {
    return Stream.of(
        Arguments.of("Transfer-Encoding: gzip\r\n", "", 400),
        Arguments.of("Transfer-Encoding: identity\r\n", "", 400),
        Arguments.of("Transfer-Encoding: xchunked\r\n", "", 400),
        Arguments.of("Transfer-Encoding: chunked;q=1\r\n", "", 400),
        Arguments.of("Transfer-Encoding: gzip, chunked, gzip\r\n", LAST_CHUNK, 400),
        Arguments.of("Transfer-Encoding: chunked, gzip\r\n", LAST_CHUNK, 400),
        Arguments.of("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", LAST_CHUNK, 400),
        Arguments.of("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", LAST_CHUNK, 400),
        Arguments.of("Transfer-Encoding: gzip, chunked\r\n", LAST_CHUNK, 501),
        Arguments.of("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", LAST_CHUNK, 501),
        Arguments.of("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", LAST_CHUNK, 400),
        Arguments.of("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", LAST_CHUNK, 400));
  }

  @ParameterizedTest
  @MethodSource("refusedShapes")
  void unsoundFraming_isRefusedWithTheConnectionClosed_andNothingReachesTheFunction(String framing, String body,
      int status) throws IOException {
    List<RawHttp.Response> responses = exchange(
        "POST /fn/echo/first HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" + body + SMUGGLED);

    // One answer, then the connection closed (exchange reads to the end): the smuggled request was never read.
    assertThat(responses).hasSize(1);
    assertRefused(responses.getFirst(), status);
    assertOnlyTheMarkerReachedTheFunction();
  }

  @Test
  void transferEncodingOverHttp10_isRefused() throws IOException {
    List<RawHttp.Response> responses = exchange(
        "POST /fn/echo/first HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + LAST_CHUNK + SMUGGLED);

    assertThat(responses).hasSize(1);
    assertRefused(responses.getFirst(), 400);
    assertOnlyTheMarkerReachedTheFunction();
  }

  @Test
  void chunkedAlone_streamsToTheFunction_andTheNextRequestOnTheConnectionIsServedToo() throws IOException {
    List<RawHttp.Response> responses = exchange(
        "POST /fn/echo/first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n6\r\n world\r\n" + LAST_CHUNK
            + "GET /fn/echo/second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 200);
    assertThat(responses).extracting(RawHttp.Response::body).containsExactly("ok /first", "ok /second");
    assertThat(backend.seenLines()).containsExactly("POST /first hello world", "GET /second");
  }

  @Test
  void hostHeaderOverHttp11_reachesTheFunctionAsXForwardedHost_asSent() throws IOException {
    List<RawHttp.Response> responses = exchange(
        "GET /fn/echo/host HTTP/1.1\r\nHost: Gateway.Example:8080\r\nConnection: close\r\n\r\n");

    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200);
    assertThat(backend.seen()).extracting(RecordingBackend.Seen::forwardedHost)
        .containsExactly("Gateway.Example:8080");
    fx.assertForwardedAsConfiguredSince(rawBefore);
  }

  private static void assertRefused(RawHttp.Response response, int status) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
    assertThat(response.header("Connection")).isEqualTo("close");
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(status);
    // Netty's decoder refuses some shapes itself (TE with Content-Length, TE over HTTP/1.0, chunked before another
    // coding in one header), the gateway's intake the rest; both say what is wrong with the framing.
    assertThat(error.getString("message")).contains("Transfer-Encoding");
  }

  /** A request sent after the refusal, on a new connection, is the only one the function ever saw. */
  private static void assertOnlyTheMarkerReachedTheFunction() {
    assertThat(fx.http.get("/fn/echo/marker").status()).isEqualTo(200);
    assertThat(backend.seenLines()).containsExactly("GET /marker");
  }
}
