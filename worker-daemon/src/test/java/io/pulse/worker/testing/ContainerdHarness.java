package io.pulse.worker.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A private containerd for one test class: its own config, {@code --root}, {@code --state} and socket under a
 * temporary directory, never the machine's {@code /run/containerd}. {@link #stop()} kills containerd and the shims
 * it started (found by their {@code -address} argument), unmounts what they left, removes the host network state the
 * workers on it created in CNI mode (bridges and masquerading rules of its namespaces that appeared while it ran, see
 * {@link HostNetworkState}) and removes the directory: a test run leaves the machine as it found it.
 *
 * <p>Needs root and the Debian packages {@code containerd} and {@code runc}. Without them the calling test is skipped
 * with an assumption naming what is missing; under CI ({@code CI=true}, where {@code .ci/run} installs them) it
 * fails instead, so the suite cannot go green by skipping.
 */
public final class ContainerdHarness implements AutoCloseable {

  private final Path dir;
  private final Path socket;
  private final Process process;
  private final HostNetworkState.Snapshot networkBefore;

  private ContainerdHarness(Path dir, Path socket, Process process, HostNetworkState.Snapshot networkBefore) {
    this.dir = dir;
    this.socket = socket;
    this.process = process;
    this.networkBefore = networkBefore;
  }

  /** Skips (or, under CI, fails) the current test when containerd cannot run here. */
  public static void assumeAvailable() {
    String missing = missing();
    if (missing == null) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("containerd tests must run under CI, but " + missing);
    }
    Assumptions.abort("containerd tests skipped: " + missing);
  }

  /**
   * Skips (or, under CI, fails) an end-to-end test that needs containerd, a registry, the busybox image and the CNI
   * plugins; {@code test} names it in the message.
   */
  public static void assumeEndToEnd(String test) {
    assumeAvailable();
    RegistryHarness.assumeAvailable();
    TestImages.assumeAvailable();
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")) || "true".equals(System.getenv("CI")),
        test + " skipped: containernetworking-plugins is not installed");
  }

  private static String missing() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "they need root (running as " + System.getProperty("user.name") + ")";
    }
    for (String binary : List.of("containerd", "runc", "containerd-shim-runc-v2")) {
      if (which(binary).isEmpty()) {
        return binary + " is not installed (apt-get install containerd runc)";
      }
    }
    return null;
  }

  public static Optional<Path> which(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Starts containerd and waits until its socket answers. Call {@link #assumeAvailable()} first. */
  public static ContainerdHarness start() throws IOException {
    HostNetworkState.Snapshot networkBefore = HostNetworkState.snapshot();
    Path dir = Files.createTempDirectory("pulse-ctd-");
    Path socket = dir.resolve("containerd.sock");
    String config = """
        version = 2
        root = "%s"
        state = "%s"
        disabled_plugins = ["io.containerd.grpc.v1.cri"]
        [grpc]
          address = "%s"
        [ttrpc]
          address = "%s.ttrpc"
        [metrics]
          address = ""
        """.formatted(dir.resolve("root"), dir.resolve("state"), socket, socket);
    Path configFile = dir.resolve("config.toml");
    Files.writeString(configFile, config);
    Process process = new ProcessBuilder(which("containerd").orElseThrow().toString(), "--config",
        configFile.toString(), "--log-level", "warn")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("containerd.log").toFile())
        .start();
    ContainerdHarness harness = new ContainerdHarness(dir, socket, process, networkBefore);
    try {
      await("containerd socket " + socket).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> Files.exists(socket) || !process.isAlive());
      if (!process.isAlive()) {
        throw new IllegalStateException("containerd exited: " + harness.log());
      }
    } catch (RuntimeException e) {
      harness.close();
      throw e;
    }
    return harness;
  }

  public Path socket() {
    return socket;
  }

  public Path dir() {
    return dir;
  }

  public long pid() {
    return process.pid();
  }

  /** containerd's own log, for failure messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("containerd.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Shims of this containerd that are still alive. */
  public List<ProcessHandle> shims() {
    String address = "-address " + socket;
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("containerd-shim") && c.contains(address))
            .orElse(false))
        .toList();
  }

  /** Kills containerd with SIGKILL (a crash) and waits for it to be gone; shims stay. */
  public void crash() {
    process.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
  }

  /** Starts containerd again on the same root, state and socket (after {@link #crash()}). */
  public ContainerdHarness restart() throws IOException {
    Files.deleteIfExists(socket);
    Process again = new ProcessBuilder(which("containerd").orElseThrow().toString(), "--config",
        dir.resolve("config.toml").toString(), "--log-level", "warn")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("containerd.log").toFile()))
        .start();
    ContainerdHarness harness = new ContainerdHarness(dir, socket, again, networkBefore);
    await("containerd socket " + socket).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(socket) || !again.isAlive());
    return harness;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle shim : shims()) {
      shim.descendants().forEach(ProcessHandle::destroyForcibly);
      shim.destroyForcibly();
    }
    unmountUnder(dir);
    try {
      List<String> removed = HostNetworkState.removeCreatedSince(networkBefore, namespaces());
      if (!removed.isEmpty()) {
        System.out.println("containerd harness " + dir.getFileName() + " removed host network state: " + removed);
      }
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * The containerd namespaces that ran tasks here: the runc v2 shim keeps a directory per namespace under containerd's
   * root and state, and outlives the tasks in it (CNI state exists only for namespaces that ran tasks).
   */
  public Set<String> namespaces() {
    Set<String> out = new TreeSet<>();
    for (Path base : List.of(dir.resolve("root"), dir.resolve("state"))) {
      Path tasks = base.resolve("io.containerd.runtime.v2.task");
      if (!Files.isDirectory(tasks)) {
        continue;
      }
      try (Stream<Path> list = Files.list(tasks)) {
        list.filter(Files::isDirectory).forEach(p -> out.add(p.getFileName().toString()));
      } catch (IOException e) {
        // Nothing to add: then nothing of that base is removed either.
      }
    }
    return out;
  }

  /** Unmounts every mount point under {@code dir}, deepest first (rootfs overlays a killed shim left behind). */
  public static void unmountUnder(Path dir) {
    try {
      List<String> points = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
          .map(line -> line.split(" ")[1].replace("\\040", " "))
          .filter(point -> point.startsWith(dir.toString()))
          .sorted(Comparator.comparingInt(String::length).reversed())
          .toList();
      for (String point : points) {
        new ProcessBuilder("umount", "-l", point).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      }
    } catch (IOException e) {
      // Best effort: the directory removal below reports what stayed.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // Left for the OS's temp cleaning: a busy file under a mount we could not undo.
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      // As above.
    }
  }
}
