package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The periodic sweep on an event loop, on a manual clock: a deadline fires once the clock passes it, then it idles. */
class DeadlineSweeperTest {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anExchangesTimeout_firesWhenTheClockPassesIt_andTheSweepStopsWhenNothingIsPending() throws Exception {
    Context loop = vertx.getOrCreateContext();
    DeadlineSweeper sweeper = new DeadlineSweeper(vertx, now::get);
    CompletableFuture<Long> fired = new CompletableFuture<>();
    Deadlines.Entry exchange = new Deadlines.Entry() {
      @Override
      void expired() {
        fired.complete(now.get());
      }
    };
    Deadlines.Entry finished = new Deadlines.Entry() {
      @Override
      void expired() {
        fired.completeExceptionally(new AssertionError("an exchange that ended early must not time out"));
      }
    };
    run(loop, () -> {
      sweeper.schedule(finished, 500);
      sweeper.schedule(exchange, 1_000);
      sweeper.cancel(finished); // ended before its deadline
    });
    assertThat(call(loop, sweeper::armed)).isTrue();

    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_000)); // the sweeps before this saw nothing due
    assertThat(fired.get(30, TimeUnit.SECONDS)).isEqualTo(1_000_000_000L + 1_000_000_000L);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (call(loop, sweeper::armed) && System.nanoTime() < deadline) {
      Thread.sleep(5); // polling a condition
    }
    assertThat(call(loop, sweeper::armed)).isFalse();
  }

  private static void run(Context loop, Runnable action) throws Exception {
    call(loop, () -> {
      action.run();
      return null;
    });
  }

  private static <T> T call(Context loop, java.util.concurrent.Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(30, TimeUnit.SECONDS);
  }
}
