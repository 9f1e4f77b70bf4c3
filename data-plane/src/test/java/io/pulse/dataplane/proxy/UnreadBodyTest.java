package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Answering a request whose body nobody reads, on a real Vert.x server and client. */
class UnreadBodyTest {

  private static final int BODY_BYTES = 2 * 1024 * 1024; // above the drain cap: the answer goes at once

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * An exchange cut after the instance's answer began (its head already relayed) while the client still uploads a
   * large body: the answer must still run. It used to throw "Response head already sent" on the close header, so the
   * answer (cutting the response) never ran and the client waited for the idle timeout.
   */
  @Test
  void headAlreadySent_largeUpload_answerStillRuns() throws Exception {
    CompletableFuture<Void> answered = new CompletableFuture<>();
    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      request.pause();
      request.response().setChunked(true).write("partial"); // the instance began answering
      try {
        UnreadBody.discardThen(request, () -> {
          answered.complete(null);
          request.response().reset();
        });
      } catch (RuntimeException e) {
        failed.complete(e);
      }
    });
    int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();

    CompletableFuture<Void> clientSawEnd = new CompletableFuture<>();
    vertx.createHttpClient(new HttpClientOptions()).request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(port).setURI("/upload")).onSuccess(request -> {
          request.putHeader("Content-Length", Integer.toString(BODY_BYTES));
          request.response().onComplete(response -> {
            if (response.failed()) {
              clientSawEnd.complete(null);
            } else {
              response.result().exceptionHandler(e -> clientSawEnd.complete(null))
                  .endHandler(v -> clientSawEnd.complete(null));
            }
          });
          request.connection().closeHandler(v -> clientSawEnd.complete(null));
          request.write(Buffer.buffer(new byte[64 * 1024])); // the rest never comes: the head promised 2 MiB
        });

    CompletableFuture.anyOf(answered, failed).get(30, TimeUnit.SECONDS);
    assertThat(failed).isNotDone();
    assertThat(answered).isDone();
    clientSawEnd.get(30, TimeUnit.SECONDS); // the cut reached the client: it is not left waiting
  }
}
