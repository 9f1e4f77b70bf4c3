package io.pulse.bench.experiment;

import io.pulse.bench.driver.ApiClient;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.api.Container;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.sandbox.containerd.pool.PoolStatus;
import io.pulse.worker.sandbox.containerd.pool.PooledSandboxRuntime;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Cold starts that hit a sandbox pool: each sample waits (untimed) until the pool holds a ready member, then times
 * one creation plus one request. Direct: the worker's pooled runtime in this JVM. Through Pulse: the expedited track
 * of a function with {@code scaling.prewarm} 1 on a worker started with {@code --pool-members}.
 */
final class PoolColdStarts {

  private static final long READY_WAIT_MS = 60_000;
  /** The label the worker's containerd runtime puts on a pool member's container until it is claimed. */
  private static final String POOL_MEMBER_LABEL = "io.pulse.pool-member";
  /** A cold start's stages, as the histograms observed once per cold start say (read around each sample). */
  static final Map<String, String> STAGES = stages();

  private PoolColdStarts() {}

  private static Map<String, String> stages() {
    Map<String, String> stages = new LinkedHashMap<>();
    stages.put("gatewayRequest", "pulse_dataplane_request_seconds"); // arrival at the gateway to the response's end
    stages.put("gatewayWait", "pulse_dataplane_cold_start_wait_seconds"); // standard: arrival to a Regular slot
    stages.put("controlPlaneCreate", "pulse_controlplane_instance_create_seconds");
    stages.put("dataPlaneCreate", "pulse_dataplane_emergency_create_seconds"); // expedited: the CreateSandbox call
    stages.put("workerClaimToReady", "pulse_worker_pool_claim_to_ready_seconds");
    // expedited: the new instance's first exchange (connect, request, answer) after the create call's answer
    stages.put("firstExchange", "pulse_dataplane_emergency_first_exchange_seconds");
    return stages;
  }

  /** Each sample's whole time, and how long each stage of it took (a stage not seen is 0). */
  record Hits(List<Double> totalMs, Map<String, List<Double>> stagesMs) {
    static final Hits NONE = new Hits(List.of(), Map.of());

    Hits() {
      this(new ArrayList<>(), new LinkedHashMap<>());
    }

    /**
     * Each sample as {@code {"totalMs": ..., stage: ms, ...}}: medians of stages taken apart do not add up, a
     * sample's stages do (up to what no histogram covers).
     */
    io.vertx.core.json.JsonArray samplesJson() {
      io.vertx.core.json.JsonArray samples = new io.vertx.core.json.JsonArray();
      for (int i = 0; i < totalMs.size(); i++) {
        JsonObject sample = new JsonObject().put("totalMs", Math.round(totalMs.get(i) * 10) / 10.0);
        int at = i;
        stagesMs.forEach((stage, ms) -> {
          if (at < ms.size() && ms.get(at) != 0) {
            sample.put(stage, Math.round(ms.get(at) * 10) / 10.0);
          }
        });
        samples.add(sample);
      }
      return samples;
    }

    void add(double totalMs, Map<String, Double> stagesMs) {
      totalMs().add(totalMs);
      stagesMs.forEach((stage, ms) -> stagesMs().computeIfAbsent(stage, s -> new ArrayList<>()).add(ms));
    }
  }

  /** Claim-start-ready plus one request, {@code samples} times after one warm-up, on the pooled runtime. */
  static Hits direct(PooledSandboxRuntime<?> runtime, SandboxSpec spec, int samples, Consumer<String> get) {
    Hits out = new Hits();
    runtime.pool().target(spec, 1);
    for (int i = -1; i < samples; i++) {
      await(() -> runtime.pool().status().stream().mapToInt(PoolStatus::ready).sum() >= 1, "no direct pool member");
      String id = "direct-pool-" + (i + 1);
      long t0 = System.nanoTime();
      CreatedSandbox created = runtime.create(id, SandboxKind.EMERGENCY, spec).toCompletableFuture().join();
      get.accept("http://" + created.sandbox().endpoint() + "/");
      double ms = (System.nanoTime() - t0) / 1e6;
      runtime.delete(id).toCompletableFuture().join();
      if (i >= 0) {
        out.add(ms, Map.of("workerClaimToReady", created.timings().totalMicros() / 1e3));
      }
    }
    runtime.pool().target(spec, 0);
    return out;
  }

  /**
   * A first invocation through the gateway that takes the expedited track onto a pool member, {@code samples} times
   * (with {@code scaling.emergencyKeepAliveMs} 0, so that no idle Emergency Instance serves the next sample: each
   * invocation creates one). The first invocation, a miss, tells the worker the revision's prewarm. Each sample waits
   * until the previous one's instance is deleted, as the direct mode does (its teardown otherwise shares containerd
   * with the next claim's start).
   */
  static Hits expedited(ApiClient api, String gatewayUrl, JsonObject function, int samples,
      Consumer<String> get) {
    return hits(api, gatewayUrl, function, "emergency-only", samples, get,
        () -> noEmergencyInstance(api.text("/metrics")));
  }

  /** Whether the data plane's scrape says it holds no Emergency Instance (all deleted on their workers). */
  static boolean noEmergencyInstance(String scrape) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith("pulse_dataplane_emergency_instances ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) == 0;
      }
    }
    return false;
  }

  /**
   * A first invocation through the gateway that makes the control plane create a Regular Instance (scale from zero,
   * {@code kpa}) onto a pool member, {@code samples} times: each sample also waits until the function is back at
   * zero instances and then until {@code torndown}, as the expedited samples wait for their instance's deletion. The
   * leader ends an instance once the worker stops listing it, which is when the worker's teardown (stop, task and
   * container deletion, CNI DEL, snapshot removal) begins, not when it ends.
   */
  static Hits standard(ApiClient api, String gatewayUrl, JsonObject function, int samples,
      Consumer<String> get, BooleanSupplier torndown) {
    String name = function.getString("name");
    return hits(api, gatewayUrl, function, "kpa", samples, get, () -> api.get("/v1/functions/" + name
        + "/instances").getJsonArray("instances").stream()
        .noneMatch(o -> ((JsonObject) o).getValue("endedAt") == null) && torndown.getAsBoolean());
  }

  /** Whether the worker's namespace holds nothing but pool members, i.e. no instance is being torn down there. */
  static BooleanSupplier onlyPoolMembers(ContainerdClient workerNamespace) {
    return () -> onlyPoolMembers(workerNamespace.containers().list(ListContainersRequest.getDefaultInstance())
        .getContainersList());
  }

  static boolean onlyPoolMembers(List<Container> containers) {
    return containers.stream().allMatch(c -> "true".equals(c.getLabelsMap().get(POOL_MEMBER_LABEL)));
  }

  /**
   * Each sample waits (untimed) for {@code idle} and a ready pool member, then times one invocation; the stages come
   * from the metrics read (untimed) around it.
   */
  private static Hits hits(ApiClient api, String gatewayUrl, JsonObject function, String policy, int samples,
      Consumer<String> get, BooleanSupplier idle) {
    String name = function.getString("name");
    api.deploy(function.copy().put("scaling", function.getJsonObject("scaling").copy()
        .put("policy", policy).put("prewarm", 1).put("emergencyKeepAliveMs", 0)));
    Hits out = new Hits();
    List<String> histograms = List.copyOf(STAGES.values());
    try {
      get.accept(gatewayUrl + "/fn/" + name + "/");
      String ready = "pulse_worker_pool_members{function=\"" + name + "\",state=\"ready\"} 1.0";
      for (int i = 0; i < samples; i++) {
        await(idle, "instances of " + name + " left");
        await(() -> api.text("/metrics").contains(ready), "no pool member of " + name);
        Map<String, Double> before = HistogramSums.of(api.text("/metrics"), histograms);
        long t0 = System.nanoTime();
        get.accept(gatewayUrl + "/fn/" + name + "/");
        double ms = (System.nanoTime() - t0) / 1e6;
        Map<String, Double> added = HistogramSums.deltaMs(before, HistogramSums.of(api.text("/metrics"), histograms));
        Map<String, Double> stages = new LinkedHashMap<>();
        STAGES.forEach((stage, histogram) -> stages.put(stage, added.get(histogram)));
        out.add(ms, stages);
      }
    } finally {
      api.delete(name);
    }
    return out;
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + READY_WAIT_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " within " + READY_WAIT_MS + " ms");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
