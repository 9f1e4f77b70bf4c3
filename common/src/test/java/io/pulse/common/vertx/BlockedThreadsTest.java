package io.pulse.common.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BlockedThreadsTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger(BlockedThreads.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void capture() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void stop() {
    release.countDown();
    logger.detachAppender(logged);
  }

  @Test
  void create_blockedEventLoop_isReportedWithItsWholeStack() {
    Vertx vertx = ComponentVertx.create(new VertxOptions().setMaxEventLoopExecuteTime(100)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS).setBlockedThreadCheckInterval(20));
    try {
      vertx.runOnContext(v -> blockHere());

      await().atMost(Duration.ofSeconds(30)).until(() -> !events("thread blocked").isEmpty());

      ILoggingEvent warning = events("thread blocked").getFirst();
      String stack = ThrowableProxyUtil.asString(warning.getThrowableProxy());
      assertThat(stack).contains("BlockedThreadsTest.blockHere", "BlockedThreadsTest.lambda$",
          "io.netty.util.concurrent.SingleThreadEventExecutor");
      assertThat(warning.getKeyValuePairs()).anyMatch(kv -> kv.key.equals("thread")
          && String.valueOf(kv.value).startsWith("vert.x-eventloop-thread-"));
    } finally {
      release.countDown();
      vertx.close().await();
    }
  }

  @Test
  void report_dumpsEveryThreadOncePerEpisodeOnceItLasts() throws InterruptedException {
    Thread stuck = Thread.ofPlatform().name("stuck-one").start(this::blockHere);
    BlockedThreads blocked = new BlockedThreads(Duration.ofSeconds(1));
    long limit = TimeUnit.MILLISECONDS.toNanos(100);

    for (long ms : new long[] {500, 1500, 2500, 300, 1200, 1300}) {
      blocked.report(new BlockedThreadEvent(stuck, TimeUnit.MILLISECONDS.toNanos(ms), limit, limit));
    }

    assertThat(events("thread blocked")).hasSize(6);
    List<ILoggingEvent> dumps = events("thread dump: a thread has been blocked for long");
    assertThat(dumps).as("one at 1500 ms, one in the second episode at 1200 ms").hasSize(2);
    String dump = String.valueOf(dumps.getFirst().getKeyValuePairs().stream()
        .filter(kv -> kv.key.equals("threads")).findFirst().orElseThrow().value);
    assertThat(dump).contains("\"stuck-one\"", "BlockedThreadsTest.blockHere", "\"main\"");
    release.countDown();
    stuck.join();
  }

  private List<ILoggingEvent> events(String message) {
    List<ILoggingEvent> seen;
    synchronized (logged) { // AppenderBase appends under the appender's lock, from the blocked-thread checker
      seen = List.copyOf(logged.list);
    }
    return seen.stream().filter(e -> e.getMessage().equals(message)).toList();
  }

  private void blockHere() {
    try {
      release.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
