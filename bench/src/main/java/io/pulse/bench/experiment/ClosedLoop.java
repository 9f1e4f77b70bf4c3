package io.pulse.bench.experiment;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop HTTP load (wrk's model): {@code connections} loops, each sending its next request when its previous one
 * is answered. A 200 counts with its latency; anything else (another status, a failure) counts as failed.
 */
final class ClosedLoop {

  /** Where the load goes. */
  record Target(String host, int port, String path) {}

  /** One slice of load: answered with 200, failed otherwise, and the latencies of the 200s (ns). */
  record Tally(long ok, long failed, Histogram latencies) {}

  private ClosedLoop() {}

  /** Runs the load for {@code millis}, then waits for the outstanding requests. Call off the client's event loop. */
  static Tally run(HttpClient client, Target target, int connections, long millis) {
    Recorder recorder = new Recorder(3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    CountDownLatch finished = new CountDownLatch(connections);
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host())
        .setPort(target.port()).setURI(target.path()).setTimeout(10_000);
    Loop loop = new Loop(client, request, end, recorder, ok, failed, finished);
    for (int c = 0; c < connections; c++) {
      loop.next();
    }
    try {
      finished.await(millis + 15_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Tally(ok.get(), failed.get(), recorder.getIntervalHistogram());
  }

  private record Loop(HttpClient client, RequestOptions request, long end, Recorder recorder, AtomicLong ok,
      AtomicLong failed, CountDownLatch finished) {

    void next() {
      if (System.nanoTime() >= end) {
        finished.countDown();
        return;
      }
      long start = System.nanoTime();
      client.request(request).compose(r -> r.send().compose(response -> response.body()
          .map(body -> response.statusCode()))).onComplete(ar -> {
            if (ar.succeeded() && ar.result() == 200) {
              recorder.recordValue(System.nanoTime() - start);
              ok.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
            next();
          });
    }
  }
}
