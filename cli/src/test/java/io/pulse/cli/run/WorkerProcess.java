package io.pulse.cli.run;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code pulse worker} as its own JVM, started from this test's classpath: real process boundaries, so that a test can
 * {@code kill -9} it ({@link #kill()}) and start it again with the same id, ports and data directory. Its stdout and
 * stderr go to one log file (appended across restarts) that {@link #log()} reads for failure messages.
 */
final class WorkerProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int adminPort;
  private final Path log;

  private WorkerProcess(Process process, int adminPort, Path log) {
    this.process = process;
    this.adminPort = adminPort;
    this.log = log;
  }

  /** Starts {@code pulse worker ARGS... --admin-port ADMIN_PORT}; output appended to {@code log}. */
  static WorkerProcess start(List<String> args, int adminPort, Path log) throws IOException {
    return start("worker", args, adminPort, log);
  }

  /**
   * Starts another daemon the same way, {@code pulse COMMAND ARGS... --admin-port ADMIN_PORT} ({@code data-plane}):
   * {@link #awaitRegistered} then waits for its {@code /readyz}.
   */
  static WorkerProcess start(String daemon, List<String> args, int adminPort, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        // A short-lived test daemon: start fast, stay small on a shared 2-core machine.
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "io.pulse.cli.PulseCommand", daemon));
    command.addAll(args);
    command.addAll(List.of("--admin-port", Integer.toString(adminPort)));
    Files.writeString(log, "=== " + String.join(" ", command.subList(command.indexOf(daemon), command.size()))
        + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return new WorkerProcess(process, adminPort, log);
  }

  /** A port free on 127.0.0.1 now (the worker binds it a moment later; nothing else here picks ports at random). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the worker's {@code /readyz} answers 200, which it does once the worker recovered what a previous run
   * left and the control plane accepted its registration. Fails at once, with the log, when the process exits.
   */
  void awaitRegistered(Duration timeout) {
    await("worker registered (GET /readyz on " + adminPort + ")").atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .failFast("worker process exited:\n" + log(), () -> !process.isAlive())
        .until(this::ready);
  }

  private boolean ready() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is cleaned. Returns once the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("worker " + process.pid() + " survived SIGKILL for 30 s");
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Everything the worker processes wrote so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM (the worker deletes its sandboxes and exits), SIGKILL when it has not exited within 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  int exitValue() {
    return process.exitValue();
  }
}
