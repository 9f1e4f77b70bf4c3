package io.pulse.controlplane.replicated;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: closed-loop clients, each sending the next GET as soon as the last one answered, through a data plane to
 * one function. Counts answers, keeps every failure (non-2xx or an exception) with the time it happened, and which
 * instances answered (the fake runtime's {@code X-Pulse-Instance} header).
 */
final class WarmTraffic implements AutoCloseable {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI target;
  private final AtomicInteger ok = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> servedBy = new ConcurrentHashMap<>();
  private final List<Thread> clients = new ArrayList<>();
  private volatile boolean running = true;

  private WarmTraffic(URI target) {
    this.target = target;
  }

  /** Starts {@code clients} loops against {@code url}. */
  static WarmTraffic start(String url, int clients) {
    WarmTraffic traffic = new WarmTraffic(URI.create(url));
    for (int i = 0; i < clients; i++) {
      traffic.clients.add(Thread.ofVirtual().name("warm-client-" + i).start(traffic::loop));
    }
    return traffic;
  }

  private void loop() {
    HttpRequest request = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT).GET().build();
    while (running) {
      long sent = System.currentTimeMillis();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          ok.incrementAndGet();
          servedBy.merge(response.headers().firstValue("X-Pulse-Instance").orElse("?"), 1, Integer::sum);
        } else {
          failures.add("at " + sent + ": HTTP " + response.statusCode() + " " + response.body());
        }
      } catch (java.io.IOException e) {
        failures.add("at " + sent + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  int ok() {
    return ok.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** The instances that answered at least once. */
  Set<String> servedBy() {
    return Set.copyOf(servedBy.keySet());
  }

  /** Stops the loops after their current request. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread client : clients) {
      client.join(REQUEST_TIMEOUT.toMillis() + 1_000);
    }
  }
}
