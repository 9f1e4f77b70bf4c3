package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Answers the gateway reads from an instance on its kept-alive connections, which any client of its own must get
 * right (round 10 tried a codec of its own, docs/benchmarks.md): informational answers before the final one are
 * skipped, an answer to HEAD has no body whatever its Content-Length says and leaves the connection usable, and a
 * large answer streams through intact.
 * Under each forwarding, on a client connection past its first request (the byte-level forwarder's to carry).
 */
@ParameterizedClass
@EnumSource(Forwarding.class)
class GatewayInstanceAnswersTest {

  private static final int LARGE_BYTES = 3 * 1024 * 1024 + 17;

  private static DataPlaneFixture fx;
  private static RawBackend backend;

  @Parameter Forwarding forwarding;
  private double rawBefore;

  @BeforeParameterizedClassInvocation
  static void start(Forwarding forwarding) throws Exception {
    fx = DataPlaneFixture.start(forwarding);
    backend = RawBackend.start();
    fx.controlPlane.upsert(route("raw", 10, instance("raw-1", backend.port())));
    fx.awaitInstances("raw", 1);
    fx.warmUp();
  }

  @BeforeEach
  void mark() {
    rawBefore = fx.rawExchanges();
  }

  @AfterEach
  void carriedAsConfigured() {
    fx.assertForwardedAsConfiguredSince(rawBefore);
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    backend.close();
    fx.close();
  }

  @Test
  void earlyHintsBeforeTheAnswer_areSkipped_andTheAnswerIsRelayed() {
    TestHttp.Reply reply = fx.http.get("/fn/raw/hints");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text()).isEqualTo("after hints");
    assertThat(reply.headers().get("Link")).isNull(); // the hint's header stays with the hint
  }

  @Test
  void head_getsTheHeadOnly_andTheConnectionServesTheNextRequest() {
    // Sequential requests from one client connection reach one gateway event loop, and so its kept connection to the
    // instance: had the HEAD answer been read as having a body, the next answer would be misread.
    TestHttp.Reply head = TestHttp.await(fx.http.send(HttpMethod.HEAD, "/fn/raw/head", null, null));
    TestHttp.Reply next = fx.http.get("/fn/raw/hello");

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.headers().get("Content-Length")).isEqualTo("5");
    assertThat(head.body().length()).isZero();
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.text()).isEqualTo("hello");
  }

  @Test
  void largeAnswer_streamsThroughIntact() {
    TestHttp.Reply reply = fx.http.get("/fn/raw/large");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().length()).isEqualTo(LARGE_BYTES);
    assertThat(reply.body().getBytes()).isEqualTo(RawBackend.large());
  }

  /**
   * An instance on raw sockets, so that it can send what Vert.x's server would not: early hints, and a HEAD answer
   * with the Content-Length of the GET. Keeps each connection open for the next request.
   */
  private static final class RawBackend implements AutoCloseable {

    private final ServerSocket server;

    private RawBackend(ServerSocket server) {
      this.server = server;
    }

    static RawBackend start() throws IOException {
      RawBackend backend = new RawBackend(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      Thread.ofVirtual().name("raw-backend").start(backend::serve);
      return backend;
    }

    static byte[] large() {
      byte[] body = new byte[LARGE_BYTES];
      for (int i = 0; i < body.length; i++) {
        body[i] = (byte) ('a' + i % 26);
      }
      return body;
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread.ofVirtual().name("raw-connection").start(() -> answerAll(socket));
        } catch (IOException e) {
          // closed by close()
        }
      }
    }

    private void answerAll(Socket socket) {
      try (socket) {
        OutputStream out = socket.getOutputStream();
        // The gateway sends no body here: the head is the whole request.
        for (String head = RequestHeads.read(socket.getInputStream()); head != null;
            head = RequestHeads.read(socket.getInputStream())) {
          String requestLine = head.substring(0, head.indexOf("\r\n"));
          if (requestLine.contains("/hints")) {
            out.write(ascii("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"));
            out.flush();
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nafter hints"));
          } else if (requestLine.startsWith("HEAD ")) {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"));
          } else if (requestLine.contains("/large")) {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + LARGE_BYTES + "\r\n\r\n"));
            byte[] body = large();
            for (int from = 0; from < body.length; from += 64 * 1024) {
              out.write(Arrays.copyOfRange(body, from, Math.min(body.length, from + 64 * 1024)));
            }
          } else {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
          }
          out.flush();
        }
      } catch (IOException e) {
        // the gateway dropped the connection
      }
    }

    private static byte[] ascii(String text) {
      return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
