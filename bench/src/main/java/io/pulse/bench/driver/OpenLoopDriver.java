package io.pulse.bench.driver;

import io.pulse.bench.report.InvocationResult;
import io.pulse.bench.schedule.Invocation;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Sends each invocation at its scheduled time from one pacing thread, whatever happened to the earlier ones, and
 * records when its response ended. Latency is taken from the scheduled time, so a late send is the system's fault,
 * never hidden (no coordinated omission).
 */
public final class OpenLoopDriver implements AutoCloseable {

  private final Vertx vertx;
  private final HttpClient client;
  private final URI gateway;

  public OpenLoopDriver(String gatewayUrl, int maxConnections, int timeoutSeconds) {
    this.gateway = URI.create(gatewayUrl);
    this.vertx = Vertx.vertx();
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout(5_000).setIdleTimeout(timeoutSeconds).setDefaultHost(gateway.getHost())
        .setDefaultPort(gateway.getPort()), new PoolOptions().setHttp1MaxSize(maxConnections)
        .setMaxWaitQueueSize(-1));
  }

  /**
   * Replays {@code invocations} (sorted by time) and waits for every answer.
   *
   * @param path the request path of an invocation, e.g. {@code /fn/f0/?sleep=120}
   */
  public List<InvocationResult> run(List<Invocation> invocations, Function<Invocation, String> path,
      PrintStream out, String label, long timeoutSeconds) {
    List<InvocationResult> results = Collections.synchronizedList(new ArrayList<>(invocations.size()));
    Set<String> seenInstances = ConcurrentHashMap.newKeySet();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(invocations.size());
    long startNanos = System.nanoTime();
    long spanMicros = invocations.isEmpty() ? 0 : invocations.getLast().atMicros();
    try (Progress progress = new Progress(out, () -> String.format(
        "%s: sent %d/%d, answered %d, failed %d, t=%.0fs/%.0fs", label, sent.get(), invocations.size(),
        invocations.size() - done.getCount(), failed.get(), (System.nanoTime() - startNanos) / 1e9,
        spanMicros / 1e6))) {
      for (Invocation invocation : invocations) {
        long due = startNanos + invocation.atMicros() * 1_000;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        long sentAt = micros(startNanos);
        sent.incrementAndGet();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(path.apply(invocation))
            .setTimeout(timeoutSeconds * 1_000);
        client.request(options).compose(request -> request.send()).onComplete(ar -> {
          if (ar.failed()) {
            failed.incrementAndGet();
            results.add(result(invocation, sentAt, micros(startNanos), 0, "", seenInstances));
            done.countDown();
            return;
          }
          var response = ar.result();
          String instance = response.getHeader("X-Pulse-Instance");
          response.body().onComplete(body -> {
            int status = body.succeeded() ? response.statusCode() : 0;
            if (status < 200 || status >= 300) {
              failed.incrementAndGet();
            }
            results.add(result(invocation, sentAt, micros(startNanos), status, instance == null ? "" : instance,
                seenInstances));
            done.countDown();
          });
        });
      }
      if (!done.await(timeoutSeconds + 30, TimeUnit.SECONDS)) {
        out.println();
        out.println(label + ": " + done.getCount() + " requests still unanswered; counted as failures");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<InvocationResult> copy;
    synchronized (results) {
      copy = new ArrayList<>(results);
    }
    copy.sort(java.util.Comparator.comparingLong(InvocationResult::scheduledMicros));
    return copy;
  }

  private static InvocationResult result(Invocation invocation, long sentAt, long endAt, int status, String instance,
      Set<String> seen) {
    String kind = instance.isEmpty() ? "" : Instances.kindOf(instance);
    boolean cold = kind.equals("emergency") || (!instance.isEmpty() && seen.add(instance));
    return new InvocationResult(invocation.function(), invocation.atMicros(), sentAt, endAt,
        invocation.durationMs(), status, cold, kind, instance);
  }

  private static long micros(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000;
  }

  @Override
  public void close() {
    client.close().await();
    vertx.close().await();
  }
}
