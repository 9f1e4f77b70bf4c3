package io.pulse.worker.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private OCI registry on 127.0.0.1 (Debian's {@code docker-registry}) with its own config and temporary storage,
 * anonymous and plain HTTP. Tests push images they wrote themselves ({@link TestImages}) and the worker pulls them.
 */
public final class RegistryHarness implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final Process process;

  private RegistryHarness(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  public static void assumeAvailable() {
    if (ContainerdHarness.which("docker-registry").isPresent()) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("registry tests must run under CI, but docker-registry is not installed");
    }
    Assumptions.abort("registry tests skipped: docker-registry is not installed (apt-get install docker-registry)");
  }

  public static RegistryHarness start() throws IOException {
    Path dir = Files.createTempDirectory("pulse-registry-");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("config.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
        """.formatted(dir.resolve("storage"), port));
    Process process = new ProcessBuilder(ContainerdHarness.which("docker-registry").orElseThrow().toString(),
        "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile())
        .start();
    RegistryHarness harness = new RegistryHarness(dir, port, process);
    try {
      await("registry on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> accepts(port) || !process.isAlive());
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
    } catch (RuntimeException e) {
      harness.close();
      throw e;
    }
    return harness;
  }

  /** {@code 127.0.0.1:port}: the registry part of image references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ContainerdHarness.deleteTree(dir);
  }
}
