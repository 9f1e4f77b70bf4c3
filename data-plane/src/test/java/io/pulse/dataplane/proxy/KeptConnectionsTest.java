package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.dataplane.routing.Instance;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's own kept-alive connections: reuse, expiry on a manual clock, and no hand-out of a closed one. */
class KeptConnectionsTest {

  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong();
  private Context loop;
  private KeptConnections kept;
  private Instance instance;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void start(boolean closeAfterAnswer) throws Exception {
    HttpServer server = vertx.createHttpServer()
        .connectionHandler(connection -> {
          accepted.incrementAndGet();
          open.incrementAndGet();
          connection.closeHandler(v -> open.decrementAndGet());
        })
        .requestHandler(request -> request.response().end(Buffer.buffer("ok")).onComplete(v -> {
          if (closeAfterAnswer) {
            request.connection().close(); // without saying so, as busybox httpd does
          }
        }));
    int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    instance = new Instance("i-1", "127.0.0.1", port, "w-1");
    loop = vertx.getOrCreateContext();
    HttpClientAgent agent = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    kept = new KeptConnections(agent, connection -> {}, loop, 4, KEEP_ALIVE_NANOS, clock::get);
  }

  /** One exchange on a connection from the pool, released after; answers whether the connection had been used. */
  private boolean exchange() throws Exception {
    CompletableFuture<KeptConnections.Kept> done = new CompletableFuture<>();
    loop.runOnContext(v -> KeptGet.get(kept::acquire, kept::release, instance).whenComplete((connection, e) -> {
      if (e == null) {
        done.complete(connection);
      } else {
        done.completeExceptionally(e);
      }
    }));
    return done.get(30, TimeUnit.SECONDS).reused();
  }

  private int openFromPool() throws Exception {
    CompletableFuture<Integer> count = new CompletableFuture<>();
    loop.runOnContext(v -> count.complete(kept.open(instance.id())));
    return count.get(10, TimeUnit.SECONDS);
  }

  @Test
  void sequentialExchanges_goOverOneConnection() throws Exception {
    start(false);

    assertThat(exchange()).isFalse();
    assertThat(exchange()).isTrue();
    assertThat(exchange()).isTrue();

    assertThat(accepted.get()).isEqualTo(1);
    assertThat(openFromPool()).isEqualTo(1);
  }

  @Test
  void connectionIdleBeyondTheKeepAlive_isClosedAndNotHandedOut() throws Exception {
    start(false);
    exchange();

    clock.addAndGet(KEEP_ALIVE_NANOS);
    assertThat(exchange()).isFalse(); // a new connection

    assertThat(accepted.get()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> open.get() == 1);
  }

  @Test
  void expire_closesIdleConnectionsPastTheKeepAlive_andForgetsTheInstance() throws Exception {
    start(false);
    exchange();

    loop.runOnContext(v -> kept.expire());
    assertThat(openFromPool()).isEqualTo(1); // not idle for long enough yet
    clock.addAndGet(KEEP_ALIVE_NANOS);
    loop.runOnContext(v -> kept.expire());

    await().atMost(Duration.ofSeconds(30)).until(() -> open.get() == 0 && openFromPool() == 0);
  }

  @Test
  void connectionTheInstanceClosed_isNotHandedOutAgain() throws Exception {
    start(true);
    exchange();
    await().atMost(Duration.ofSeconds(30)).until(() -> openFromPool() == 0);

    assertThat(exchange()).isFalse();
    assertThat(accepted.get()).isEqualTo(2);
  }
}
