package io.pulse.bench.experiment;

import static io.pulse.bench.experiment.TraceExperiment.round;

import io.pulse.bench.report.Stats;
import io.pulse.worker.image.ImageConfig;
import io.pulse.worker.sandbox.PrivateFiles;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.pulse.worker.sandbox.containerd.OciRuntime;
import io.pulse.worker.sandbox.containerd.Readiness;
import io.pulse.worker.sandbox.containerd.api.CreateRequest;
import io.pulse.worker.sandbox.containerd.api.DeleteRequest;
import io.pulse.worker.sandbox.containerd.api.Mount;
import io.pulse.worker.sandbox.containerd.api.PrepareSnapshotRequest;
import io.pulse.worker.sandbox.containerd.api.RemoveSnapshotRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The floor of a cold start: {@code runc run --detach} (and {@code crun}'s) of the image's own rootfs, until its server
 * answers one request, with no containerd, shim or snapshot preparation in the way. The rootfs is one snapshot on the
 * image's layer chain in containerd's snapshotter (held by a lease), prepared and mounted once on a temporary
 * directory: writable underneath, as a sandbox's is, because the runtime makes its mount points ({@code /proc},
 * {@code /dev}, ...) in it when the image has none; each container still sees it read-only. Each sample writes a
 * bundle that runs the process the direct runtime would (host network, a free port in {@code PORT}), times the run
 * until one answer and then deletes the container (untimed). A runtime that cannot run here, or fails a sample, is
 * skipped with its reason; {@link #close} removes every container, the mount, the snapshot and the lease.
 */
final class RawOciFloor implements AutoCloseable {

  private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
  private static final long COMMAND_TIMEOUT_SECONDS = 20;

  private final ContainerdSettings direct;
  private final SandboxSpec spec;
  private final ImageConfig image;
  private final Consumer<String> get;
  private final Path dir;
  private final Map<OciRuntime, List<Double>> samples = new EnumMap<>(OciRuntime.class);
  private final Map<OciRuntime, String> skipped = new EnumMap<>(OciRuntime.class);
  private @Nullable ContainerdClient client;
  private @Nullable String lease;
  private @Nullable String snapshot;
  private boolean mounted;

  private RawOciFloor(ContainerdSettings direct, SandboxSpec spec, ImageConfig image, Consumer<String> get, Path dir) {
    this.direct = direct;
    this.spec = spec;
    this.image = image;
    this.get = get;
    this.dir = dir;
  }

  /**
   * Mounts {@code image}'s rootfs (already unpacked in {@code direct}'s namespace and snapshotter) and finds which
   * runtimes can run here; {@code get} sends one request and fails unless it is answered 200.
   */
  static RawOciFloor open(ContainerdSettings direct, SandboxSpec spec, ImageConfig image, Consumer<String> get) {
    Path dir;
    try {
      dir = Files.createTempDirectory("pulse-raw-floor-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RawOciFloor floor = new RawOciFloor(direct, spec, image, get, dir);
    for (OciRuntime runtime : OciRuntime.values()) {
      runtime.unusableBecause().ifPresentOrElse(why -> floor.skipped.put(runtime, why),
          () -> floor.samples.put(runtime, new ArrayList<>()));
    }
    try {
      floor.mountRootfs();
    } catch (RuntimeException | IOException e) {
      floor.samples.keySet().forEach(runtime -> floor.skipped.put(runtime, "no rootfs: " + e.getMessage()));
      floor.samples.clear();
    }
    return floor;
  }

  /** Where the rootfs, bundles and runtime state live; gone after {@link #close}. */
  Path dir() {
    return dir;
  }

  private Path rootfs() {
    return dir.resolve("rootfs");
  }

  private void mountRootfs() throws IOException {
    client = ContainerdClient.connect(direct.socket(), direct.namespace(), direct.callDeadlineMs());
    // The snapshot is in no container: only a lease keeps containerd's garbage collector from it (expiring, should
    // this process die before close).
    lease = client.leases().create(CreateRequest.newBuilder().setId("pulse-raw-floor-" + System.nanoTime())
        .putLabels("containerd.io/gc.expire", Instant.now().plusSeconds(3_600).toString()).build())
        .getLease().getId();
    snapshot = "pulse-raw-floor-" + System.nanoTime();
    List<Mount> mounts = client.snapshots(lease).prepare(PrepareSnapshotRequest.newBuilder()
        .setSnapshotter(direct.snapshotter()).setKey(snapshot).setParent(image.chainId()).build()).getMountsList();
    Files.createDirectories(rootfs());
    for (Mount mount : mounts) {
      exec(List.of("mount", "-t", mount.getType(), "-o", String.join(",", mount.getOptionsList()),
          mount.getSource(), rootfs().toString()));
      mounted = true;
    }
  }

  /**
   * One sample of every runtime still in the running, recorded unless {@code warmUp}; returns the console's words
   * for it ({@code runc 21.3 ms, crun 15.0 ms}).
   */
  String sample(int n, boolean warmUp) {
    List<String> words = new ArrayList<>();
    for (OciRuntime runtime : List.copyOf(samples.keySet())) {
      try {
        double ms = runOnce(runtime, runtime.binary() + "-" + n);
        if (!warmUp) {
          samples.get(runtime).add(ms);
        }
        words.add(String.format("%s %.1f ms", runtime.binary(), ms));
      } catch (RuntimeException | IOException e) {
        samples.remove(runtime);
        skipped.put(runtime, "sample " + n + " failed: " + e.getMessage());
        words.add(runtime.binary() + " failed (skipped from now on)");
      }
    }
    return words.isEmpty() ? "none" : String.join(", ", words);
  }

  private double runOnce(OciRuntime runtime, String id) throws IOException {
    int port = freePort();
    Path bundle = Files.createDirectories(dir.resolve(runtime.binary()));
    Files.writeString(bundle.resolve("config.json"),
        FloorBundle.spec(id, spec, image, port, rootfs(), direct).encode());
    Path log = bundle.resolve("output.log");
    try {
      long t0 = System.nanoTime();
      Process run = new ProcessBuilder(runtime.binary(), "--root", state(runtime), "run", "--detach", "--bundle",
          bundle.toString(), id).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      // Probed while the runtime runs, as the worker probes while containerd's Start is under way.
      Readiness.Outcome outcome = Readiness.await("127.0.0.1", port, t0 + READY_TIMEOUT_NANOS,
          () -> !run.isAlive() && run.exitValue() != 0);
      if (outcome != Readiness.Outcome.READY) {
        waitFor(run);
        throw new IllegalStateException(runtime.binary() + " run " + outcome + " (exit "
            + (run.isAlive() ? "none" : run.exitValue()) + "): " + Files.readString(log).strip());
      }
      get.accept("http://127.0.0.1:" + port + "/");
      double ms = (System.nanoTime() - t0) / 1e6;
      waitFor(run);
      return ms;
    } finally {
      delete(runtime, id);
    }
  }

  private String state(OciRuntime runtime) {
    return dir.resolve("state-" + runtime.binary()).toString();
  }

  private void delete(OciRuntime runtime, String id) {
    try {
      exec(List.of(runtime.binary(), "--root", state(runtime), "delete", "--force", id));
    } catch (RuntimeException | IOException e) {
      // Left for close(), which lists what the runtime still holds.
    }
  }

  /**
   * Each runtime's p50 and p99 (or why it was skipped), and each mode's p50 (from {@code p50Ms}: cold starts and pool
   * hits of the same run) over its floor's p50.
   */
  JsonObject summary(Map<String, Double> p50Ms) {
    JsonObject json = new JsonObject().put("sandboxesRunOn", direct.ociRuntime().binary());
    for (OciRuntime runtime : OciRuntime.values()) {
      List<Double> values = samples.get(runtime);
      if (values == null || values.isEmpty()) {
        json.put(runtime.binary(), new JsonObject().put("skipped",
            skipped.getOrDefault(runtime, "no samples")));
        continue;
      }
      double p50 = percentile(values, 0.5);
      JsonObject ratios = new JsonObject();
      p50Ms.forEach((mode, modeP50) -> ratios.put(mode, round(modeP50 / p50)));
      json.put(runtime.binary(), new JsonObject().put("p50Ms", round(p50)).put("p99Ms",
          round(percentile(values, 0.99))).put("samples", values.size()).put("p50OverFloorP50", ratios));
    }
    return json;
  }

  /** Each measured runtime's samples, for the CDF chart. */
  Map<String, double[]> cdf() {
    Map<String, double[]> cdf = new LinkedHashMap<>();
    samples.forEach((runtime, values) -> cdf.put("raw " + runtime.binary() + " run + ready + request (floor)",
        values.stream().mapToDouble(Double::doubleValue).toArray()));
    return cdf;
  }

  private static double percentile(List<Double> values, double q) {
    return Stats.percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), q);
  }

  /**
   * Removes what the runtimes still hold (a sample's delete that failed), then the mount, the snapshot and the lease, and
   * the directory. Each step runs even when one before failed; the first failure is thrown at the end.
   */
  @Override
  public void close() {
    List<Exception> failures = new ArrayList<>();
    for (OciRuntime runtime : OciRuntime.values()) {
      if (Files.isDirectory(Path.of(state(runtime)))) {
        attempt(failures, () -> {
          for (String id : exec(List.of(runtime.binary(), "--root", state(runtime), "list", "-q")).lines()
              .filter(s -> !s.isBlank()).toList()) {
            exec(List.of(runtime.binary(), "--root", state(runtime), "delete", "--force", id));
          }
        });
      }
    }
    if (mounted) {
      attempt(failures, () -> exec(List.of("umount", rootfs().toString())));
    }
    if (client != null) {
      ContainerdClient containerd = client;
      if (snapshot != null) {
        attempt(failures, () -> containerd.snapshots(null).remove(RemoveSnapshotRequest.newBuilder()
            .setSnapshotter(direct.snapshotter()).setKey(snapshot).build()));
      }
      if (lease != null) {
        attempt(failures, () -> containerd.leases().delete(DeleteRequest.newBuilder().setId(lease).build()));
      }
      containerd.close();
    }
    if (failures.isEmpty()) { // a directory still mounted on must not be emptied
      attempt(failures, () -> PrivateFiles.deleteTree(dir));
    }
    if (!failures.isEmpty()) {
      IllegalStateException failure = new IllegalStateException("raw floor cleanup: " + failures.getFirst()
          .getMessage() + " (under " + dir + ")", failures.getFirst());
      failures.stream().skip(1).forEach(failure::addSuppressed);
      throw failure;
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void attempt(List<Exception> failures, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      failures.add(e);
    }
  }

  /** Runs {@code command} to its end; returns its output, or throws with it when it fails. */
  private static String exec(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    waitFor(process);
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.strip());
    }
    return output;
  }

  private static void waitFor(Process process) throws IOException {
    try {
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(process.info().command().orElse("command") + " did not end in "
            + COMMAND_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
