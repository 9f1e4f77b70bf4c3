package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse up} as a user runs it: the packaged launcher in its own JVM, the demo function answered through the
 * gateway, SIGTERM (what Ctrl-C amounts to) leaving no process behind, and a second start on the same ports.
 */
class PulseUpIT {

  @TempDir Path dataDir;
  @TempDir Path home;
  private Path tokenFile;

  @org.junit.jupiter.api.BeforeEach
  void tokenFile() {
    tokenFile = home.resolve(".pulse").resolve("api-token");
  }

  @Test
  void up_servesTheDemo_stopsCleanly_andStartsAgainOnTheSamePorts() throws Exception {
    int restPort = freePort();
    int httpPort = freePort();
    for (int run = 1; run <= 2; run++) {
      Process pulse = launch(restPort, httpPort);
      try {
        awaitLine(pulse, "Pulse is up");
        // pulse up made the token file (owner-only) and the API wants that token.
        String token = Files.readAllLines(tokenFile).getFirst();
        assertThat(Files.getPosixFilePermissions(tokenFile)).extracting(Object::toString)
            .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        PulseTestClient client = new PulseTestClient("http://127.0.0.1:" + restPort, "http://127.0.0.1:" + httpPort,
            token);
        assertThat(client.api("GET", "/v1/functions", "").body()).contains("hello");
        assertThat(new PulseTestClient("http://127.0.0.1:" + restPort, "", "wrong-token-0123456789")
            .api("GET", "/v1/functions", "").statusCode()).isEqualTo(401);
        var answer = client.invoke("hello", "", "");
        assertThat(answer.statusCode()).as("run %d: %s", run, answer.body()).isEqualTo(200);
        assertThat(answer.body()).startsWith("Hello from Pulse!");

        List<ProcessHandle> children = pulse.descendants().toList();
        assertThat(children).as("run %d: the function runs under pulse", run).isNotEmpty();

        pulse.destroy(); // SIGTERM
        assertThat(pulse.waitFor(60, TimeUnit.SECONDS)).as("pulse exits on SIGTERM").isTrue();
        assertThat(children).as("run %d: no function process outlives pulse", run).noneMatch(ProcessHandle::isAlive);
      } finally {
        pulse.destroyForcibly();
      }
    }
  }

  private Process launch(int restPort, int httpPort) throws IOException {
    Path target = Path.of(System.getProperty("pulse.buildDir", "target")); // where this build put the jar
    assertThat(target.resolve("pulse-cli.jar")).as("run after 'package'").exists();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        target.resolve("pulse-cli.jar") + ":" + target.resolve("lib") + "/*", "io.pulse.cli.PulseCommand", "up",
        "--rest-port", String.valueOf(restPort), "--http-port", String.valueOf(httpPort),
        "--data-dir", dataDir.toString(), "--api-token-file", tokenFile.toString()));
    Path log = Files.createTempFile(dataDir, "pulse-", ".log");
    return new ProcessBuilder(command)
        .redirectError(log.toFile())
        .start();
  }

  /** Reads the launcher's stdout until a line contains {@code text}, then keeps draining it in the background. */
  private static void awaitLine(Process process, String text) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    CompletableFuture<Void> found = CompletableFuture.runAsync(() -> {
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.contains(text)) {
            return;
          }
        }
        throw new IllegalStateException("pulse exited before printing '" + text + "'");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    found.get(120, TimeUnit.SECONDS);
    Thread.ofVirtual().start(() -> {
      try {
        reader.transferTo(java.io.Writer.nullWriter());
      } catch (IOException ignored) {
        // the process ended
      }
    });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
