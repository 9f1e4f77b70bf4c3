package io.pulse.dataplane.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.coldstart.WaitQueue.Admission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Real threads race the lock-free fast path against parking and draining: every request is served exactly once and
 * the slot limit holds.
 */
class WaitQueueConcurrencyTest {

  @Test
  void admitAndDrain_serveEveryRequestOnceUnderContention() throws Exception {
    int threads = 6;
    int perThread = 5_000;
    int total = threads * perThread;
    WaitQueue<Integer> queue = new WaitQueue<>(total);
    TokenSlots slots = new TokenSlots(3);
    AtomicIntegerArray servedCount = new AtomicIntegerArray(total);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    CountDownLatch allServed = new CountDownLatch(total);

    // Hand-offs run their work on a pool, as they would on event loops, instead of recursing through drain().
    ExecutorService loops = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          int id = base + i;
          Runnable work = () -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            servedCount.incrementAndGet(id);
            concurrent.decrementAndGet();
            slots.release();
            queue.drain(slots);
            allServed.countDown();
          };
          switch (queue.admit(slots)) {
            case Admission.Granted<Integer> g -> work.run();
            case Admission.Parked<Integer> p -> p.waiter().future().onSuccess(token -> loops.execute(work));
            case Admission.Full<Integer> f -> throw new AssertionError("queue sized to never fill");
          }
        }
      }));
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(allServed.await(30, TimeUnit.SECONDS)).as("every request served").isTrue();
    loops.shutdown();
    for (int i = 0; i < total; i++) {
      assertThat(servedCount.get(i)).as("request %d", i).isEqualTo(1);
    }
    assertThat(maxConcurrent.get()).isLessThanOrEqualTo(3);
    assertThat(queue.size()).isZero();
    assertThat(slots.out()).isZero();
  }
}
