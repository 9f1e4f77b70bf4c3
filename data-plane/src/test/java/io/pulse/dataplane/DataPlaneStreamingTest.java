package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large bodies through the gateway and back. The 20 MiB cases use a streaming echo (it answers while the upload is
 * still arriving, so both directions flow at once through the proxy's back-pressure); the hello process reads whole
 * bodies into its 64 MiB heap, so it gets a smaller one.
 */
class DataPlaneStreamingTest {

  private static final int MIB = 1024 * 1024;
  private static DataPlaneFixture fx;
  private static HelloProcess hello;
  private static HttpServer streamingEcho;

  @BeforeAll
  static void start() throws Exception {
    fx = DataPlaneFixture.start();
    hello = HelloProcess.start("hello-big");
    streamingEcho = await(fx.vertx.createHttpServer().requestHandler(req -> {
      String length = req.getHeader("Content-Length");
      if (length != null) {
        req.response().putHeader("Content-Length", length);
      } else {
        req.response().setChunked(true);
      }
      req.pipeTo(req.response());
    }).listen(0, "127.0.0.1"));
    fx.controlPlane.upsert(route("hello", 4, instance(hello.id(), hello.port())));
    fx.controlPlane.upsert(route("stream", 4, instance("stream-1", streamingEcho.actualPort())));
    fx.awaitInstances("hello", 1);
    fx.awaitInstances("stream", 1);
  }

  @AfterAll
  static void stop() throws Exception {
    hello.close();
    fx.close();
  }

  @Test
  void fixedLengthBody_echoedIntactByARealProcess() {
    byte[] body = new byte[4 * MIB];
    new Random(42).nextBytes(body);
    TestHttp.Reply reply = await(fx.http.send(HttpMethod.PUT, "/fn/hello/upload", null, Buffer.buffer(body)));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.instance()).isEqualTo("hello-big");
    assertThat(reply.body().length()).isEqualTo(body.length);
    assertThat(sha256(reply.body().getBytes())).isEqualTo(sha256(body));
  }

  @Test
  void fixedLengthBody_20MiBStreamedBothWays() {
    byte[] body = new byte[20 * MIB];
    new Random(43).nextBytes(body);
    TestHttp.Reply reply = await(fx.http.send(HttpMethod.POST, "/fn/stream/up", null, Buffer.buffer(body)));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("Content-Length")).isEqualTo(Integer.toString(body.length));
    assertThat(sha256(reply.body().getBytes())).isEqualTo(sha256(body));
  }

  @Test
  void chunkedBody_streamedBothWaysWithBackPressure() throws Exception {
    int chunks = 320; // 320 x 64 KiB = 20 MiB
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    new Random(7).nextBytes(chunk.getBytes());
    byte[] chunkBytes = chunk.getBytes();
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < chunks; i++) {
      expected.update(chunkBytes);
    }
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long[] receivedBytes = {0};
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/stream")
        .setServer(SocketAddress.inetSocketAddress(fx.dataPlane.httpPort(), "127.0.0.1"))
        .setHost("stream.fn.localhost").setPort(fx.dataPlane.httpPort());
    Future<Integer> status = fx.http.client().request(options).compose(request -> {
      request.setChunked(true);
      writeChunks(request, chunk, chunks, Promise.promise());
      return request.response().compose(response -> {
        Promise<Integer> done = Promise.promise();
        // Consume incrementally: the response is never held whole on this side.
        response.handler(buffer -> {
          received.update(buffer.getBytes());
          receivedBytes[0] += buffer.length();
        });
        response.endHandler(v -> done.complete(response.statusCode()));
        response.exceptionHandler(done::tryFail);
        return done.future();
      });
    });
    assertThat(await(status)).isEqualTo(200);
    assertThat(receivedBytes[0]).isEqualTo((long) chunks * chunkBytes.length);
    assertThat(received.digest()).isEqualTo(expected.digest());
  }

  /** Writes {@code remaining} chunks honouring the request's write queue, then ends it. */
  private static void writeChunks(HttpClientRequest request, Buffer chunk, int remaining, Promise<Void> done) {
    int left = remaining;
    while (left > 0 && !request.writeQueueFull()) {
      request.write(chunk);
      left--;
    }
    if (left == 0) {
      request.end().onComplete(done);
    } else {
      int next = left;
      request.drainHandler(v -> writeChunks(request, chunk, next, done));
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
