package io.pulse.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.common.testing.ManualTimers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timer service's adapters: Vert.x (on the caller's context), virtual threads, and the tests' manual timers. */
class TimersTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void manual_runsWhatFallsDue_inTimeOrder_atItsTime_includingWhatActionsSchedule() {
    ManualTimers timers = new ManualTimers(1_000);
    timers.schedule(30, () -> ran.add("b@" + timers.now()));
    timers.schedule(10, () -> {
      ran.add("a@" + timers.now());
      timers.schedule(5, () -> ran.add("a2@" + timers.now()));
    });
    Timers.Timer cancelled = timers.schedule(20, () -> ran.add("cancelled"));
    cancelled.cancel();

    timers.advance(25);
    assertThat(ran).containsExactly("a@1010", "a2@1015");
    assertThat(timers.now()).isEqualTo(1_025);
    assertThat(timers.pending()).containsExactly(new ManualTimers.Pending(1_030, 30));

    assertThat(timers.runNext()).isTrue();
    assertThat(ran).containsExactly("a@1010", "a2@1015", "b@1030");
    assertThat(timers.runNext()).isFalse();
  }

  @Test
  void vertx_runsOnTheCallersContext_andACancelledTimerNeverRuns() {
    Context context = vertx.getOrCreateContext();
    Timers timers = Timers.of(vertx);
    context.runOnContext(v -> {
      // Both scheduled on the context in one turn: the cancelled one is due first, and cannot run before the cancel.
      timers.schedule(1, () -> ran.add("cancelled")).cancel();
      timers.schedule(20, () -> ran.add(Vertx.currentContext() == context ? "on the context" : "elsewhere"));
    });

    await().atMost(Duration.ofSeconds(10)).until(() -> !ran.isEmpty());
    assertThat(ran).containsExactly("on the context");
  }

  @Test
  void vertx_aDelayOfZeroRunsSoon() {
    Timers.of(vertx).schedule(0, () -> ran.add("ran")); // Vert.x refuses a 0 ms timer: the adapter asks for 1 ms

    await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("ran"));
  }

  @Test
  void virtualThreads_runTheActionAfterItsDelay_andACancelAfterItRanChangesNothing() {
    Timers.Timer timer = Timers.virtualThreads("test-timer").schedule(5, () -> ran.add(Thread.currentThread().getName()));

    await().atMost(Duration.ofSeconds(10)).until(() -> !ran.isEmpty());
    timer.cancel();
    assertThat(ran).containsExactly("test-timer");
  }

  @Test
  void every_runsEachPeriod_untilCancelled_evenFromInsideItsAction() {
    ManualTimers timers = new ManualTimers();
    Timers.Timer[] periodic = new Timers.Timer[1];
    periodic[0] = timers.every(100, () -> {
      ran.add("@" + timers.now());
      if (timers.now() == 300) {
        periodic[0].cancel();
      }
    });
    Timers.Timer other = timers.every(250, () -> ran.add("other@" + timers.now()));

    timers.advance(99);
    assertThat(ran).isEmpty();
    timers.advance(1_000);
    assertThat(ran).containsExactly("@100", "@200", "other@250", "@300", "other@500", "other@750", "other@1000");
    other.cancel();
    assertThat(timers.pending()).isEmpty();
  }
}
