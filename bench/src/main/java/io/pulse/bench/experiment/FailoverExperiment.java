package io.pulse.bench.experiment;

import io.pulse.api.v1.SandboxInfo;
import io.pulse.bench.experiment.FailoverCluster.Replica;
import io.pulse.bench.report.ReportFiles;
import io.pulse.bench.report.Stats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * Control-plane failover: three replicas, a worker and a data plane as separate processes; the leader is killed with
 * SIGKILL {@code kills} times (restarted over its data directory between kills) while closed-loop clients keep a warm
 * function busy through the data plane. Per kill it measures, from the kill: when a surviving replica says it leads,
 * when the new leader's first instance reaches the worker (a {@code kpa} function whose first request arrives right
 * after the kill needs one: scale from zero through the new leader), and when that request is answered; and how many
 * warm requests failed. The goal is the first instance within 2 s of the kill.
 */
public final class FailoverExperiment {

  /** The must-hold: a new leader is scaling within this long of the kill. */
  static final long GOAL_MS = 2_000;
  private static final Duration CONVERGE = Duration.ofSeconds(120);
  /** Quiet time after a restart before the next kill (partition migrations settle). */
  private static final long SETTLE_MS = 3_000;

  /**
   * @param launcher how to run {@code pulse} in a child JVM (java, options, class path, main class)
   * @param backgroundClients closed-loop clients beside the two measured ones, keeping the cores busy (0: none)
   */
  public record Options(int kills, List<String> launcher, Path out, String command, int backgroundClients) {
    public Options {
      if (kills < 1) {
        throw new IllegalArgumentException("--kills must be >= 1, was " + kills);
      }
      if (backgroundClients < 0) {
        throw new IllegalArgumentException("--background-load must be >= 0, was " + backgroundClients);
      }
      launcher = List.copyOf(launcher);
    }
  }

  record Round(int kill, String killed, long leaderMs, long scaledMs, long answeredMs, int probeStatus,
      int warmFailures) {}

  private FailoverExperiment() {}

  public static JsonObject run(Options options, PrintStream out) {
    List<Round> rounds = new ArrayList<>();
    JsonObject summary;
    try (FailoverCluster cluster = FailoverCluster.start(options.launcher(), options.out().resolve("logs"))) {
      cluster.deploy(spec("warm", 2, 2));
      FailoverCluster.await("the warm function to answer", CONVERGE,
          () -> WarmClients.answers(cluster.gateway("warm")) ? Optional.of(true) : Optional.empty());
      WarmClients warm = new WarmClients(cluster.gateway("warm"), 2);
      // Another closed loop on the same function: the failover then happens with both cores busy, as in production.
      WarmClients background = new WarmClients(cluster.gateway("warm"), options.backgroundClients());
      try {
        for (int kill = 1; kill <= options.kills(); kill++) {
          rounds.add(round(cluster, kill, warm, background, out));
        }
      } finally {
        warm.stop();
        background.stop();
      }
      summary = summary(rounds, warm).put("backgroundClients", options.backgroundClients())
          .put("backgroundRequests", background.ok()).put("backgroundFailures", background.failures());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the failover cluster", e);
    }
    ReportFiles.summary(options.out(), summary);
    ReportFiles.html(options.out(), "Pulse failover", options.command(), summary, Map.of());
    return summary;
  }

  private static Round round(FailoverCluster cluster, int kill, WarmClients warm, WarmClients background,
      PrintStream out) {
    String probe = "probe-" + kill;
    cluster.deploy(spec(probe, 0, 1));
    Replica doomed = cluster.leader();
    int failuresBefore = warm.failures() + background.failures();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    long killedAt = System.currentTimeMillis();
    doomed.process().kill();
    CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(URI.create(
        cluster.gateway(probe))).timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<Long> answeredAt = first.thenApply(r -> System.currentTimeMillis());

    Replica next = FailoverCluster.await("a new leader", CONVERGE,
        () -> cluster.currentLeader().filter(r -> !r.id().equals(doomed.id())));
    long leaderMs = System.currentTimeMillis() - killedAt;
    SandboxInfo created = FailoverCluster.await("the new leader's first instance of " + probe, CONVERGE,
        () -> cluster.sandboxes(probe).stream().findFirst());
    long scaledMs = created.getCreatedAtMs() - killedAt;
    int status;
    long answeredMs;
    try {
      status = first.get(CONVERGE.toSeconds(), TimeUnit.SECONDS).statusCode();
      answeredMs = answeredAt.get() - killedAt;
    } catch (Exception e) {
      status = -1;
      answeredMs = -1;
    }
    // Back to three replicas, over the killed one's data directory; let partitions settle before the next kill.
    doomed.process().start();
    cluster.awaitHealthy();
    quiet(SETTLE_MS);
    Round round = new Round(kill, doomed.id(), leaderMs, scaledMs, answeredMs, status,
        warm.failures() + background.failures() - failuresBefore);
    // The kill's wall-clock time lets one line the round up with the components' logs.
    out.printf("kill %d at %s (%s, new leader %s): leader after %d ms, first instance after %d ms, first request "
        + "answered (%d) after %d ms, warm failures %d%n", kill, java.time.Instant.ofEpochMilli(killedAt), doomed.id(),
        next.id(), leaderMs, scaledMs, status, answeredMs, round.warmFailures());
    return round;
  }

  static JsonObject summary(List<Round> rounds, WarmClients warm) {
    JsonArray perKill = new JsonArray();
    for (Round r : rounds) {
      perKill.add(new JsonObject().put("kill", r.kill()).put("killed", r.killed()).put("leaderMs", r.leaderMs())
          .put("firstInstanceMs", r.scaledMs()).put("firstRequestMs", r.answeredMs())
          .put("firstRequestStatus", r.probeStatus()).put("warmFailures", r.warmFailures()));
    }
    long worstScale = rounds.stream().mapToLong(Round::scaledMs).max().orElse(Long.MAX_VALUE);
    return new JsonObject()
        .put("experiment", "failover")
        .put("kills", rounds.size())
        .put("newLeaderMs", percentiles(rounds, Round::leaderMs))
        .put("firstInstanceMs", percentiles(rounds, Round::scaledMs))
        .put("firstRequestMs", percentiles(rounds, Round::answeredMs))
        .put("goalMs", GOAL_MS)
        .put("goalMet", worstScale <= GOAL_MS)
        .put("warmRequests", warm.ok())
        .put("warmFailures", warm.failures())
        .put("perKill", perKill);
  }

  private static JsonObject percentiles(List<Round> rounds, ToLongFunction<Round> field) {
    double[] values = rounds.stream().mapToLong(field).mapToDouble(v -> v).toArray();
    return new JsonObject().put("p50", Stats.percentile(values, 0.5)).put("max", Stats.percentile(values, 1.0))
        .put("min", Stats.percentile(values, 0.0));
  }

  /** kpa: a request that finds no free slot waits for the control plane, so it needs the (new) leader to scale. */
  private static JsonObject spec(String name, int minScale, int targetConcurrency) {
    return new JsonObject().put("name", name).put("command", new JsonArray().add("fake"))
        .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", 64))
        .put("scaling", new JsonObject().put("policy", "kpa").put("minScale", minScale)
            .put("targetConcurrency", targetConcurrency).put("keepAliveSeconds", 10));
  }

  private static void quiet(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Closed-loop GETs from virtual threads; counts answers and failures (non-2xx, or no answer). */
  static final class WarmClients {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger ok = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    WarmClients(String url, int clients) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
      for (int i = 0; i < clients; i++) {
        threads.add(Thread.ofVirtual().name("failover-warm-" + i).start(() -> {
          while (running) {
            try {
              HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() / 100 == 2) {
                ok.incrementAndGet();
              } else {
                failures.add(response.statusCode() + " " + response.body());
              }
            } catch (IOException e) {
              failures.add(e.toString());
            } catch (InterruptedException e) {
              return;
            }
          }
        }));
      }
    }

    static boolean answers(String url) {
      try {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
            .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    int ok() {
      return ok.get();
    }

    int failures() {
      return failures.size();
    }

    void stop() {
      running = false;
      for (Thread thread : threads) {
        try {
          thread.join(15_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
