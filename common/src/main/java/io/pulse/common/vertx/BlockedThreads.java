package io.pulse.common.vertx;

import io.vertx.core.VertxException;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Pulse logs when Vert.x's checker finds a thread blocked: the thread's whole stack every time (Vert.x's default
 * shows it only after 5 s, and the old log pattern kept its first line only), and once per episode, when the block
 * lasts {@code dumpAfter}, a dump of every thread with the locks they hold and wait for, since the thread that holds
 * things up is usually not the one blocked. Runs on the checker's timer thread.
 */
final class BlockedThreads {

  private static final Logger LOG = LoggerFactory.getLogger(BlockedThreads.class);

  private final long dumpAfterNanos;
  /** Per thread, the duration last reported and whether this episode was dumped (weak: threads come and go). */
  private final Map<Thread, Episode> episodes = new WeakHashMap<>();

  private record Episode(long lastDurationNanos, boolean dumped) {}

  BlockedThreads(Duration dumpAfter) {
    this.dumpAfterNanos = dumpAfter.toNanos();
  }

  synchronized void report(BlockedThreadEvent event) {
    Thread thread = event.thread();
    VertxException stack = new VertxException("thread blocked", false);
    stack.setStackTrace(thread.getStackTrace());
    LOG.atWarn().setMessage("thread blocked").addKeyValue("thread", thread.getName())
        .addKeyValue("blocked_ms", event.duration() / 1_000_000).addKeyValue("limit_ms", event.maxExecTime() / 1_000_000)
        .setCause(stack).log();

    Episode previous = episodes.get(thread);
    boolean sameEpisode = previous != null && previous.lastDurationNanos() <= event.duration();
    boolean dumped = sameEpisode && previous.dumped();
    if (!dumped && event.duration() >= dumpAfterNanos) {
      LOG.atWarn().setMessage("thread dump: a thread has been blocked for long").addKeyValue("thread", thread.getName())
          .addKeyValue("blocked_ms", event.duration() / 1_000_000).addKeyValue("threads", ThreadDump.text()).log();
      dumped = true;
    }
    episodes.put(thread, new Episode(event.duration(), dumped));
  }
}
