package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.dataplane.routing.Instance;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-instance connection cap: requests beyond it wait for a connection instead of opening more. */
class InstanceClientsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void moreRequestsThanTheCap_openNoMoreConnectionsThanTheCap_andAllAreAnswered() throws Exception {
    AtomicInteger open = new AtomicInteger();
    AtomicInteger mostOpen = new AtomicInteger();
    ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
    HttpServer server = vertx.createHttpServer()
        .connectionHandler(connection -> {
          mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
          connection.closeHandler(v -> open.decrementAndGet());
        })
        .requestHandler(held::add);
    int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    Context loop = vertx.getOrCreateContext();
    CompletableFuture<InstanceClients> made = new CompletableFuture<>();
    loop.runOnContext(v -> made.complete(InstanceClients.create(vertx, 2)));
    InstanceClients clients = made.get(10, TimeUnit.SECONDS);

    Instance instance = new Instance("i-1", "127.0.0.1", port, "w-1");
    List<CompletableFuture<KeptConnections.Kept>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CompletableFuture<KeptConnections.Kept> answer = new CompletableFuture<>();
      answers.add(answer);
      loop.runOnContext(v -> KeptGet.get(clients::acquire, clients::release, instance).whenComplete((kept, e) -> {
        if (e == null) {
          answer.complete(kept);
        } else {
          answer.completeExceptionally(e);
        }
      }));
    }
    // Two requests reach the instance, on two connections; the other three wait for one of them.
    await().atMost(Duration.ofSeconds(30)).until(() -> held.size() >= 2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (answers.stream().anyMatch(a -> !a.isDone()) && System.nanoTime() < deadline) {
      HttpServerRequest request = held.poll();
      if (request == null) {
        Thread.sleep(5); // polling until the next waiting request reaches the instance
        continue;
      }
      request.response().end(Buffer.buffer("ok"));
    }

    for (CompletableFuture<KeptConnections.Kept> answer : answers) {
      assertThat(answer.get(30, TimeUnit.SECONDS)).isNotNull(); // a 200 (KeptGet fails on anything else)
    }
    assertThat(mostOpen.get()).isEqualTo(2);
    loop.runOnContext(v -> clients.close());
  }
}
