package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Instances that close a connection without saying so. A server that answers with a Content-Length and then closes,
 * without {@code Connection: close}, leaves the gateway's pool a connection that looks reusable; the next request on
 * it must go again on a fresh connection instead of failing. A request whose body already went to the instance is
 * never sent twice. Under each forwarding: a client connection's requests after its first are the byte-level
 * forwarder's to carry, with its own pool of instance connections.
 */
@ParameterizedClass
@EnumSource(Forwarding.class)
class GatewayStaleConnectionTest {

  @Parameter Forwarding forwarding;
  private DataPlaneFixture fx;
  private RawBackend backend;

  @AfterEach
  void stop() throws Exception {
    backend.close();
    fx.close();
  }

  @Test
  void instanceClosingAfterEachAnswer_everySequentialRequestAnswers200() throws Exception {
    fx = DataPlaneFixture.start(forwarding);
    backend = RawBackend.start(Closing.ON_NEXT_REQUEST);
    fx.controlPlane.upsert(route("closer", 10, instance("closer-1", backend.port())));
    fx.awaitInstances("closer", 1);

    for (int i = 0; i < 10; i++) {
      TestHttp.Reply reply = fx.http.get("/fn/closer/" + i);
      assertThat(reply.status()).as("request %d", i).isEqualTo(200);
      assertThat(reply.text()).isEqualTo("ok");
    }
    // Each request was answered once, those that met a closing connection on a fresh one.
    assertThat(backend.requests()).isEqualTo(10);
    assertThat(backend.dropped()).isPositive();
    fx.assertForwardedAsConfiguredSince(0);
  }

  @Test
  void instanceFoundClosingItsConnections_getsItsNextRequestsOnConnectionsOfTheirOwn() throws Exception {
    // One event loop: one pool, so every request after the first would otherwise meet the connection just closed.
    fx = DataPlaneFixture.start(forwarding, c -> c.withEventLoops(1));
    backend = RawBackend.start(Closing.ON_NEXT_REQUEST);
    fx.controlPlane.upsert(route("closer", 10, instance("closer-1", backend.port())));
    fx.awaitInstances("closer", 1);

    for (int i = 0; i < 20; i++) {
      assertThat(fx.http.get("/fn/closer/" + i).status()).as("request %d", i).isEqualTo(200);
    }
    // Only the request that found out went into a closing connection; the rest asked for a connection each.
    assertThat(backend.dropped()).isEqualTo(1);
    assertThat(backend.requests()).isEqualTo(20);
    fx.assertForwardedAsConfiguredSince(0);
  }

  @Test
  void instanceClosingRightAfterEachAnswer_concurrentLoad_no5xx() throws Exception {
    // busybox httpd: answers with a Content-Length, no Connection: close, and closes at once. Under concurrent load
    // the pool hands out connections whose FIN is on its way; each such request must go again, never answer 5xx.
    fx = DataPlaneFixture.start(forwarding);
    backend = RawBackend.start(Closing.RIGHT_AFTER_ANSWER);
    fx.controlPlane.upsert(route("busybox", 64, instance("busybox-1", backend.port())));
    fx.awaitInstances("busybox", 1);

    int loops = 16;
    int perLoop = 40;
    java.util.List<Future<java.util.List<Integer>>> all = new java.util.ArrayList<>();
    for (int l = 0; l < loops; l++) {
      all.add(sequence(fx.http, "/fn/busybox/", perLoop, new java.util.ArrayList<>()));
    }
    java.util.List<Integer> statuses = all.stream().flatMap(f -> await(f).stream()).toList();
    assertThat(statuses).hasSize(loops * perLoop).containsOnly(200);
    fx.assertForwardedAsConfiguredSince(0);
  }

  /** {@code count} requests one after the other; the statuses in order. */
  private static Future<java.util.List<Integer>> sequence(TestHttp http, String uri, int count,
      java.util.List<Integer> into) {
    if (into.size() == count) {
      return Future.succeededFuture(into);
    }
    return http.send(HttpMethod.GET, uri + into.size(), null, null).compose(reply -> {
      into.add(reply.status());
      return sequence(http, uri, count, into);
    });
  }

  @Test
  void postWhoseBodyAlreadyWent_isNotSentAgainWhenTheConnectionDies() throws Exception {
    // One event loop, so the GET and the POST use the same client pool and the POST gets the kept-alive connection.
    // Both are Vert.x's under either forwarding: the GET is its connection's first, the chunked POST is handed over.
    fx = DataPlaneFixture.start(forwarding, c -> c.withEventLoops(1));
    backend = RawBackend.start(Closing.NEVER);
    fx.controlPlane.upsert(route("dies", 10, instance("dies-1", backend.port())));
    fx.awaitInstances("dies", 1);
    assertThat(fx.http.get("/fn/dies/warm").status()).isEqualTo(200);

    int port = fx.dataPlane.httpPort();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/fn/dies/upload")
        .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1")).setHost("127.0.0.1").setPort(port);
    HttpClientRequest upload = await(fx.http.client().request(options));
    upload.setChunked(true);
    Future<TestHttp.Reply> reply = upload.response().compose(TestHttp::reply);
    upload.write("first part");
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.bodiesCut() == 1);
    upload.end("rest");

    TestHttp.Reply answer = await(reply);
    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.error().getString("ref")).isNotBlank();
    assertThat(backend.requests()).as("the warm-up GET and the POST, once").isEqualTo(2);
    assertThat(backend.connections()).as("the POST went on the kept-alive connection").isEqualTo(1);
  }

  /** When the raw backend closes a connection after answering a GET. */
  private enum Closing {
    NEVER,
    /** When the next request arrives, unanswered: the race a server closing after its answer loses now and then. */
    ON_NEXT_REQUEST,
    /** Right after the answer (busybox httpd). */
    RIGHT_AFTER_ANSWER
  }

  /**
   * A server on raw sockets. A GET gets {@code 200 ok} with a Content-Length and no {@code Connection: close}; then
   * the connection closes as {@link Closing} says. A request with a body is cut:
   * the connection closes as soon as the first byte of its body arrived.
   */
  private static final class RawBackend implements AutoCloseable {

    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        .getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSocket server;
    private final Closing closing;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger bodiesCut = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    private RawBackend(ServerSocket server, Closing closing) {
      this.server = server;
      this.closing = closing;
    }

    static RawBackend start(Closing closing) throws IOException {
      RawBackend backend = new RawBackend(new ServerSocket(0, 512, InetAddress.getLoopbackAddress()), closing);
      Thread.ofVirtual().name("raw-backend").start(backend::serve);
      return backend;
    }

    int port() {
      return server.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    /** Request heads read, whether answered or cut; not those dropped unanswered by a closing connection. */
    int requests() {
      return requests.get();
    }

    int dropped() {
      return dropped.get();
    }

    int bodiesCut() {
      return bodiesCut.get();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          connections.incrementAndGet();
          Thread.ofVirtual().name("raw-backend-connection").start(() -> answer(socket));
        } catch (IOException e) {
          // closed by close()
        }
      }
    }

    private void answer(Socket socket) {
      try (socket) {
        InputStream in = socket.getInputStream();
        for (String head = RequestHeads.read(in); head != null; head = RequestHeads.read(in)) {
          requests.incrementAndGet();
          if (!head.startsWith("GET ")) {
            if (in.read() >= 0) {
              bodiesCut.incrementAndGet(); // the connection closes below, mid-body
            }
            return;
          }
          socket.getOutputStream().write(ANSWER);
          socket.getOutputStream().flush();
          if (closing == Closing.RIGHT_AFTER_ANSWER) {
            return;
          }
          if (closing == Closing.ON_NEXT_REQUEST) {
            // Close only once the next request arrives: the gateway's pool cannot have seen it coming, which is the
            // race a server closing right after its answer loses now and then.
            if (RequestHeads.read(in) != null) {
              dropped.incrementAndGet();
            }
            return;
          }
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
