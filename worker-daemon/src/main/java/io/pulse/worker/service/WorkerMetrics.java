package io.pulse.worker.service;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.Timings;
import io.pulse.worker.sandbox.containerd.pool.PoolStatus;
import io.pulse.worker.sandbox.containerd.pool.PooledSandboxRuntime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The worker's metrics ({@code pulse_worker_*}). Registered once per daemon, removed again by {@link #unregister}. */
public final class WorkerMetrics implements PooledSandboxRuntime.Claims {

  private static final double[] SECONDS_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  /** Image preparation spans a lookup (milliseconds) to a pull of a large image (minutes). */
  private static final double[] IMAGE_BUCKETS =
      {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

  private final PrometheusRegistry registry;
  private final GaugeWithCallback sandboxes;
  private final Counter creations;
  private final Counter fenced;
  private final Counter reaped;
  private final Counter pauses;
  private final Histogram createSeconds;
  private final Histogram phaseSeconds;
  private final Histogram imagePrepareSeconds;
  private final PoolMetrics pools;

  private WorkerMetrics(PrometheusRegistry registry, Supplier<List<Sandbox>> current,
      Supplier<List<PoolStatus>> pools) {
    this.registry = registry;
    this.pools = new PoolMetrics(pools);
    this.sandboxes = GaugeWithCallback.builder()
        .name("pulse_worker_sandboxes")
        .help("Sandboxes this worker holds, by kind")
        .labelNames("kind")
        .callback(callback -> {
          Map<SandboxKind, Integer> counts = new EnumMap<>(SandboxKind.class);
          for (SandboxKind kind : SandboxKind.values()) {
            counts.put(kind, 0);
          }
          current.get().forEach(s -> counts.merge(s.kind(), 1, Integer::sum));
          counts.forEach((kind, count) -> callback.call(count, kind.name().toLowerCase()));
        })
        .build();
    this.creations = Counter.builder()
        .name("pulse_worker_sandbox_creations_total")
        .help("CreateSandbox calls by result: ok, existing (idempotent repeat) or the failure reason")
        .labelNames("result")
        .build();
    this.fenced = Counter.builder()
        .name("pulse_worker_fenced_total")
        .help("Commands the epoch fence refused, by command (create, delete, prepare_image) and reason: stale_epoch "
            + "(an older leader's) or regular_epoch_zero (epoch 0, which only Emergency Instances may use)")
        .labelNames("command", "reason")
        .build();
    this.reaped = Counter.builder()
        .name("pulse_worker_emergency_reaped_total")
        .help("Emergency Instances this worker deleted because their lease ran out: the data plane that created them "
            + "stopped renewing it (crashed, or could not reach this worker for the lease)")
        .build();
    this.pauses = Counter.builder()
        .name("pulse_worker_pauses_total")
        .help("Times this worker found it had not run for a while (a VM pause, a long GC): the leases of its "
            + "Emergency Instances then ran in full again rather than expire unheard")
        .build();
    this.createSeconds = Histogram.builder()
        .name("pulse_worker_sandbox_create_seconds")
        .help("Time from a create call to its sandbox accepting connections")
        .classicOnly()
        .classicUpperBounds(SECONDS_BUCKETS)
        .build();
    this.phaseSeconds = Histogram.builder()
        .name("pulse_worker_sandbox_phase_seconds")
        .help("Time of each phase of a sandbox creation (image, create, network, start, ready)")
        .labelNames("phase")
        .classicOnly()
        .classicUpperBounds(SECONDS_BUCKETS)
        .build();
    this.imagePrepareSeconds = Histogram.builder()
        .name("pulse_worker_image_prepare_seconds")
        .help("Time of PrepareImage calls by result: present (already unpacked), pulled (pulled and unpacked now) "
            + "or failed (refused or failed: the reason is in the call's status and the log)")
        .labelNames("result")
        .classicOnly()
        .classicUpperBounds(IMAGE_BUCKETS)
        .build();
  }

  public static WorkerMetrics register(PrometheusRegistry registry, Supplier<List<Sandbox>> current) {
    return register(registry, current, List::of);
  }

  /** As {@link #register(PrometheusRegistry, Supplier)}, with the sandbox pools' members. */
  public static WorkerMetrics register(PrometheusRegistry registry, Supplier<List<Sandbox>> current,
      Supplier<List<PoolStatus>> pools) {
    WorkerMetrics metrics = new WorkerMetrics(registry, current, pools);
    try {
      registry.register(metrics.sandboxes);
      registry.register(metrics.creations);
      registry.register(metrics.fenced);
      registry.register(metrics.reaped);
      registry.register(metrics.pauses);
      registry.register(metrics.createSeconds);
      registry.register(metrics.phaseSeconds);
      registry.register(metrics.imagePrepareSeconds);
      metrics.pools.register(registry);
    } catch (RuntimeException e) {
      // A name already taken (a second worker in one registry): leave the registry as it was.
      metrics.unregister();
      throw e;
    }
    return metrics;
  }

  /** A metrics object that records into a registry nobody scrapes; for tests of other classes. */
  public static WorkerMetrics unregistered(Supplier<List<Sandbox>> current) {
    return new WorkerMetrics(new PrometheusRegistry(), current, List::of);
  }

  public void unregister() {
    registry.unregister(sandboxes);
    registry.unregister(creations);
    registry.unregister(fenced);
    registry.unregister(reaped);
    registry.unregister(pauses);
    registry.unregister(createSeconds);
    registry.unregister(phaseSeconds);
    registry.unregister(imagePrepareSeconds);
    pools.unregister(registry);
  }

  @Override
  public void hit(SandboxKind kind, long claimToReadyNanos) {
    pools.hit(kind, claimToReadyNanos);
  }

  @Override
  public void miss(SandboxKind kind) {
    pools.miss(kind);
  }

  void created(Timings timings) {
    creations.labelValues("ok").inc();
    createSeconds.observe(seconds(timings.totalMicros()));
    phase("image", timings.imageMicros());
    phase("create", timings.createMicros());
    phase("network", timings.networkMicros());
    phase("start", timings.startMicros());
    phase("ready", timings.readyMicros());
  }

  /** One PrepareImage call: {@code result} is present, pulled or failed. */
  void imagePrepared(String result, long nanos) {
    imagePrepareSeconds.labelValues(result).observe(nanos / 1_000_000_000.0);
  }

  void fenced(String command, String reason) {
    fenced.labelValues(command, reason).inc();
  }

  void reaped() {
    reaped.inc();
  }

  void paused() {
    pauses.inc();
  }

  void result(String result) {
    creations.labelValues(result).inc();
  }

  private void phase(String name, long micros) {
    // A phase the runtime does not have reports 0; leave it out rather than pile up zeros.
    if (micros > 0) {
      phaseSeconds.labelValues(name).observe(seconds(micros));
    }
  }

  private static double seconds(long micros) {
    return micros / 1_000_000.0;
  }
}
