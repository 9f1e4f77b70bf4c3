package io.pulse.bench.driver;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (Debian's {@code haproxy}) as a yardstick: a minimal HTTP reverse proxy in front of one address, on
 * loopback, in the foreground as a child process. Its defaults otherwise (threads, {@code http-reuse safe}), as an
 * operator would run it.
 */
public final class Haproxy implements AutoCloseable {

  private static final long READY_TIMEOUT_MILLIS = 10_000;

  private final Process process;
  private final int port;

  private Haproxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The {@code haproxy} binary on the PATH (or in /usr/sbin, where Debian puts it), if installed. */
  public static Optional<Path> binary() {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/local/sbin";
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "haproxy");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The configuration: listen on {@code host:port}, forward everything to {@code backendHost:backendPort}, on
   * {@code threads} threads (0: HAProxy's default, one per core it may run on).
   */
  static String config(String host, int port, String backendHost, int backendPort, int threads) {
    return String.join("\n",
        "global",
        threads > 0 ? "    nbthread " + threads : "    # nbthread: HAProxy's default",
        "    maxconn 4096", // within a 20,000-descriptor limit (haproxy refuses to start if it cannot raise its own)
        "defaults",
        "    mode http",
        "    timeout connect 5s",
        "    timeout client 60s",
        "    timeout server 60s",
        "frontend warm",
        "    bind " + host + ":" + port,
        "    default_backend instance",
        "backend instance",
        "    server instance " + backendHost + ":" + backendPort,
        "");
  }

  /**
   * Starts {@code binary} in front of {@code backendHost:backendPort} on a free port of 127.0.0.1; its configuration
   * and output go to {@code dir}. Returns once it accepts connections.
   */
  public static Haproxy start(Path binary, String backendHost, int backendPort, Path dir) {
    return start(binary, backendHost, backendPort, dir, 0);
  }

  /** {@link #start(Path, String, int, Path)} on {@code threads} threads (0: HAProxy's default). */
  public static Haproxy start(Path binary, String backendHost, int backendPort, Path dir, int threads) {
    try {
      Files.createDirectories(dir);
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      Path config = dir.resolve("haproxy.cfg");
      Files.writeString(config, config("127.0.0.1", port, backendHost, backendPort, threads));
      Process process = new ProcessBuilder(binary.toString(), "-db", "-f", config.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
      Haproxy haproxy = new Haproxy(process, port);
      haproxy.awaitListening();
      return haproxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start haproxy", e);
    }
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("haproxy exited with " + process.exitValue() + " (see haproxy.log)");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(20); // polling pause
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    close();
    throw new IllegalStateException("haproxy did not listen on port " + port + " within 10 s");
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
