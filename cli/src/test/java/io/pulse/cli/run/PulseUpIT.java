package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse up} as a user runs it: the packaged launcher in its own JVM, the demo function answered through the
 * gateway, SIGTERM (what Ctrl-C amounts to) leaving no process behind, a second start on the same ports, and a worker
 * of its own process joining it at the gRPC address it prints.
 */
class PulseUpIT {

  @TempDir Path dataDir;
  @TempDir Path home;
  private Path tokenFile;
  /** The stderr (structured log) of the last {@link #launch}. */
  private Path lastLog;

  @org.junit.jupiter.api.BeforeEach
  void tokenFile() {
    tokenFile = home.resolve(".pulse").resolve("api-token");
  }

  @Test
  void up_servesTheDemo_stopsCleanly_andStartsAgainOnTheSamePorts() throws Exception {
    int restPort = freePort();
    int httpPort = freePort();
    int grpcPort = freePort();
    for (int run = 1; run <= 2; run++) {
      Process pulse = launch(restPort, httpPort, grpcPort);
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

  @Test
  void up_printsItsJoinAddress_andAWorkerProcessJoinsThere() throws Exception {
    int restPort = freePort();
    int httpPort = freePort();
    int grpcPort = freePort();
    Process pulse = launch(restPort, httpPort, grpcPort, "--no-demo", "--runtime", "fake");
    String join = joinAddress(pulse);
    assertThat(join).isEqualTo("127.0.0.1:" + grpcPort);
    try (WorkerProcess worker = WorkerProcess.start(List.of("--control-plane", join,
        "--id", "joined", "--runtime", "fake", "--bind", "127.0.0.1", "--grpc-port", String.valueOf(freePort()),
        "--data-dir", dataDir.resolve("joined").toString()), freePort(), dataDir.resolve("worker.log"))) {
      worker.awaitRegistered(Duration.ofSeconds(120));

      PulseTestClient client = new PulseTestClient("http://127.0.0.1:" + restPort, "http://127.0.0.1:" + httpPort,
          Files.readAllLines(tokenFile).getFirst());
      List<String> ids = workers(client).stream().map(w -> w.getString("id")).toList();
      assertThat(ids).as("the all-in-one's own worker and the one that joined").hasSize(2).contains("joined");

      // With its own worker drained, the all-in-one runs a function's instance on the joined one.
      String own = ids.stream().filter(id -> !id.equals("joined")).findFirst().orElseThrow();
      assertThat(client.api("POST", "/v1/workers/" + own + "/drain", "").statusCode()).isEqualTo(202);
      assertThat(client.deploy(new JsonObject().put("name", "there").put("command", new JsonArray().add("fake"))
          .put("scaling", new JsonObject().put("minScale", 1))).statusCode()).isEqualTo(201);
      await("an instance on the joined worker").atMost(Duration.ofSeconds(60)).until(() -> workers(client).stream()
          .anyMatch(w -> w.getString("id").equals("joined") && w.getInteger("instances", 0) == 1));
      assertThat(client.invoke("there", "", "").statusCode()).isEqualTo(200);
    } finally {
      pulse.destroy();
      if (!pulse.waitFor(60, TimeUnit.SECONDS)) {
        pulse.destroyForcibly();
      }
    }
  }

  @Test
  void aPauseOfTheWholeProcess_longerThanTheWorkerTimeout_declaresNoWorkerDead() throws Exception {
    int restPort = freePort();
    Process pulse = launch(restPort, freePort(), freePort(), "--no-demo", "--runtime", "fake");
    try {
      awaitLine(pulse, "Pulse is up");
      PulseTestClient client = new PulseTestClient("http://127.0.0.1:" + restPort, "",
          Files.readAllLines(tokenFile).getFirst());
      assertThat(client.deploy(new JsonObject().put("name", "kept").put("command", new JsonArray().add("fake"))
          .put("scaling", new JsonObject().put("minScale", 1))).statusCode()).isEqualTo(201);
      await("its instance").atMost(Duration.ofSeconds(60)).until(() -> instanceIds(client, "kept").size() == 1);
      List<String> before = instanceIds(client, "kept");

      // Frozen as a VM snapshot freezes a machine: every thread, the worker's heartbeats too, for longer than the
      // worker timeout (5 s). The sleep is the fault's length, not a wait for something to happen.
      signal(pulse, "STOP");
      try {
        Thread.sleep(7_000);
      } finally {
        signal(pulse, "CONT");
      }
      Instant resumed = Instant.now();

      await("a heartbeat after the pause").atMost(Duration.ofSeconds(30)).until(() -> workers(client).stream()
          .allMatch(w -> Instant.parse(w.getString("lastHeartbeat")).isAfter(resumed)));
      assertThat(Files.readString(lastLog)).doesNotContain("msg=\"worker declared dead\"");
      assertThat(workers(client)).extracting(w -> w.getString("state")).containsOnly("alive");
      assertThat(instanceIds(client, "kept")).as("the instance was kept, not dropped and made again")
          .isEqualTo(before);
      await("the leader says it did not run").atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(lastLog).contains("control plane did not run"));
    } finally {
      pulse.destroy();
      if (!pulse.waitFor(60, TimeUnit.SECONDS)) {
        pulse.destroyForcibly();
      }
    }
  }

  private static List<String> instanceIds(PulseTestClient client, String function) {
    return new JsonObject(client.api("GET", "/v1/functions/" + function + "/instances", "").body())
        .getJsonArray("instances").stream().map(JsonObject.class::cast)
        .filter(i -> !"ended".equals(i.getString("state"))).map(i -> i.getString("id")).toList();
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
  }

  private static List<JsonObject> workers(PulseTestClient client) {
    JsonArray workers = new JsonObject(client.api("GET", "/v1/workers", "").body()).getJsonArray("workers");
    return workers.stream().map(JsonObject.class::cast).toList();
  }

  /** The address after {@code --control-plane} on the line {@code pulse up} prints for joining. */
  private static String joinAddress(Process pulse) throws Exception {
    String line = awaitLine(pulse, "--control-plane");
    return line.substring(line.indexOf("--control-plane") + "--control-plane".length()).strip().split("\\s+")[0];
  }

  private Process launch(int restPort, int httpPort, int grpcPort, String... more) throws IOException {
    Path target = Path.of(System.getProperty("pulse.buildDir", "target")); // where this build put the jar
    assertThat(target.resolve("pulse-cli.jar")).as("run after 'package'").exists();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        target.resolve("pulse-cli.jar") + ":" + target.resolve("lib") + "/*", "io.pulse.cli.PulseCommand", "up",
        "--rest-port", String.valueOf(restPort), "--http-port", String.valueOf(httpPort),
        "--grpc-port", String.valueOf(grpcPort),
        "--data-dir", dataDir.toString(), "--api-token-file", tokenFile.toString()));
    command.addAll(List.of(more));
    Path log = Files.createTempFile(dataDir, "pulse-", ".log");
    lastLog = log;
    return new ProcessBuilder(command)
        .redirectError(log.toFile())
        .start();
  }

  /**
   * Reads the launcher's stdout until a line contains {@code text}, then keeps draining it in the background; answers
   * that line.
   */
  private static String awaitLine(Process process, String text) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.contains(text)) {
            return line;
          }
        }
        throw new IllegalStateException("pulse exited before printing '" + text + "'");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    String line = found.get(120, TimeUnit.SECONDS);
    Thread.ofVirtual().start(() -> {
      try {
        reader.transferTo(java.io.Writer.nullWriter());
      } catch (IOException ignored) {
        // the process ended
      }
    });
    return line;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
