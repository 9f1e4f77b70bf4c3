package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Line endings are read leniently from instances and strictly from callers: an instance whose header lines end in a
 * bare LF (busybox httpd's CGIs) is relayed as curl and HAProxy relay it, while a caller's request with a bare LF is
 * still refused before anything is proxied.
 * Under each forwarding, each request after another on its connection (the byte-level forwarder's to read).
 */
@ParameterizedClass
@EnumSource(Forwarding.class)
class GatewayLineEndingsTest {

  private static DataPlaneFixture fx;
  private static BareLfBackend backend;

  @Parameter Forwarding forwarding;
  private double rawBefore;

  @BeforeParameterizedClassInvocation
  static void start(Forwarding forwarding) throws Exception {
    fx = DataPlaneFixture.start(forwarding);
    backend = BareLfBackend.start();
    fx.controlPlane.upsert(route("cgi", 10, instance("cgi-1", backend.port())));
    fx.awaitInstances("cgi", 1);
    fx.warmUp();
  }

  @BeforeEach
  void mark() {
    rawBefore = fx.rawExchanges();
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    backend.close();
    fx.close();
  }

  @Test
  void instanceAnsweringWithBareLineFeeds_isRelayedAs200() {
    TestHttp.Reply reply = fx.http.get("/fn/cgi/cgi-bin/hello");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text()).isEqualTo("ok");
    assertThat(reply.headers().get("Content-Type")).isEqualTo("text/plain");
    fx.assertForwardedAsConfiguredSince(rawBefore);
  }

  @Test
  void instanceAnsweringWithBareLineFeeds_keepsServingOnItsKeptAliveConnection() {
    int before = backend.answered();
    for (int i = 0; i < 3; i++) {
      TestHttp.Reply reply = fx.http.get("/fn/cgi/" + i);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.text()).isEqualTo("ok");
    }
    assertThat(backend.answered()).isEqualTo(before + 3);
    fx.assertForwardedAsConfiguredSince(rawBefore);
  }

  @Test
  void callerRequestWithBareLineFeeds_isStillRefusedAndNeverProxied() throws IOException {
    int before = backend.answered();

    List<RawHttp.Response> responses = SocketClient.exchangeAfterWarmUp(fx.dataPlane.httpPort(),
        "GET /fn/cgi/bare HTTP/1.1\nHost: x\nConnection: close\n\n", false);

    assertThat(responses).hasSize(1);
    RawHttp.Response refused = responses.getFirst();
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.header("Content-Type")).isEqualTo("application/json");
    assertThat(refused.header("Connection")).isEqualTo("close");
    assertThat(new JsonObject(refused.body()).getJsonObject("error").getInteger("status")).isEqualTo(400);
    assertThat(backend.answered()).isEqualTo(before);
  }

  /**
   * A server on raw sockets that answers every request with header lines ending in a bare LF, the way busybox httpd
   * relays a CGI's output, and keeps each connection open for the next request.
   */
  private static final class BareLfBackend implements AutoCloseable {

    private static final byte[] ANSWER = "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n\nok"
        .getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSocket server;
    private final AtomicInteger answered = new AtomicInteger();

    private BareLfBackend(ServerSocket server) {
      this.server = server;
    }

    static BareLfBackend start() throws IOException {
      BareLfBackend backend = new BareLfBackend(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      Thread.ofVirtual().name("bare-lf-backend").start(backend::serve);
      return backend;
    }

    int port() {
      return server.getLocalPort();
    }

    int answered() {
      return answered.get();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread.ofVirtual().name("bare-lf-connection").start(() -> answerAll(socket));
        } catch (IOException e) {
          // closed by close()
        }
      }
    }

    private void answerAll(Socket socket) {
      try (socket) {
        while (RequestHeads.read(socket.getInputStream()) != null) {
          answered.incrementAndGet(); // before the answer, so that a caller who got it sees the count
          socket.getOutputStream().write(ANSWER);
          socket.getOutputStream().flush();
        }
      } catch (IOException e) {
        // the gateway dropped the connection
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
