package io.pulse.worker.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.samples.hello.HelloCommand;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.CreatorLease;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxException.Reason;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import io.pulse.worker.sandbox.logs.LogLine;
import io.pulse.worker.sandbox.logs.LogQuery;
import io.pulse.worker.sandbox.logs.RotatingLog;
import io.pulse.worker.testing.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSandboxRuntimeTest {

  static final List<String> PYTHON = List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1");
  // Below the kernel's ephemeral range (32768+), where ports bound to 0 by other tests would land.
  private static final int PORT_START = 21_000;
  private static final int PORT_END = 21_099;

  @TempDir Path dataDir;
  @TempDir Path scratch;
  private final List<ProcessSandboxRuntime> runtimes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ProcessSandboxRuntime runtime;

  @BeforeEach
  void setUp() {
    runtime = newRuntime(PORT_START, PORT_END);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (ProcessSandboxRuntime r : runtimes) {
      r.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void create_hello_answersHttp200WithItsInstanceId() throws Exception {
    CreatedSandbox created = create("hello-1", SandboxSpec.ofCommand("hello", 3, HelloCommand.argv()));

    Sandbox sandbox = created.sandbox();
    assertThat(sandbox.state()).isEqualTo(SandboxState.READY);
    assertThat(sandbox.endpoint().host()).isEqualTo("127.0.0.1");
    assertThat(sandbox.endpoint().port()).isBetween(PORT_START, PORT_END);
    assertThat(sandbox.function()).isEqualTo("hello");
    assertThat(sandbox.revision()).isEqualTo(3);
    assertThat(created.timings().startMicros()).isPositive();
    assertThat(created.timings().readyMicros()).isPositive();
    assertThat(created.timings().totalMicros())
        .isGreaterThanOrEqualTo(created.timings().startMicros() + created.timings().readyMicros());
    HttpResponse<String> response = get(sandbox);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Pulse-Instance")).hasValue("hello-1");
    assertThat(runtime.list()).containsExactly(sandbox);
  }

  @Test
  void create_python_answersHttp200AndGetsTheDocumentedEnvironment() throws Exception {
    Path envFile = scratch.resolve("env.txt");
    SandboxSpec spec = SandboxSpec.ofCommand("py", 1, List.of("sh", "-c",
            "env > '" + envFile + "'; exec python3 -m http.server ${PORT} --bind 127.0.0.1"))
        .withEnv(Map.of("GREETING", "hi"));

    Sandbox sandbox = create("py-1", spec).sandbox();

    assertThat(get(sandbox).statusCode()).isEqualTo(200);
    List<String> env = Files.readAllLines(envFile);
    assertThat(env).contains("PORT=" + sandbox.endpoint().port(), "PULSE_INSTANCE_ID=py-1", "PULSE_FUNCTION=py",
        "PULSE_REVISION=1", "GREETING=hi");
    assertThat(env).anyMatch(line -> line.startsWith("PATH="));
    // Python logs the request to stderr, which goes to the instance log, written by the worker's pump.
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(
        dataDir.resolve("instances/py-1").resolve(ProcessSandboxRuntime.LOG_FILE)).contains("GET / "));
  }

  @Test
  void create_withSecrets_writesReadOnlyFilesInTheInstanceDir_andTheAskedEnv() throws Exception {
    Path seen = scratch.resolve("seen.txt");
    SandboxSpec spec = SandboxSpec.ofCommand("sec", 1, List.of("sh", "-c",
            "{ echo \"dir=$PULSE_SECRETS_DIR\"; echo \"file=$(cat \"$PULSE_SECRETS_DIR/db\")\"; echo \"env=$API_KEY\"; }"
                + " > '" + seen + "'; exec python3 -m http.server ${PORT} --bind 127.0.0.1"))
        .withSecrets(List.of(
            new io.pulse.worker.sandbox.SecretFile("db", "pa55-word".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                null),
            new io.pulse.worker.sandbox.SecretFile("api-key", "k3y".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "API_KEY")));

    create("sec-1", spec);

    Path secrets = dataDir.resolve("instances/sec-1").resolve(ProcessSandboxRuntime.SECRETS_DIR);
    assertThat(Files.readAllLines(seen)).containsExactly("dir=" + secrets.toAbsolutePath(), "file=pa55-word",
        "env=k3y");
    assertThat(Files.getPosixFilePermissions(secrets.resolve("db")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
    assertThat(Files.getPosixFilePermissions(secrets))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.readString(secrets.resolve("api-key"))).isEqualTo("k3y");
    assertThat(spec.toString()).doesNotContain("pa55-word").doesNotContain("k3y");

    assertThat(runtime.delete("sec-1").toCompletableFuture().get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(secrets).doesNotExist();
  }

  @Test
  void delete_killsTheWholeProcessTree() throws Exception {
    create("tree-1", SandboxSpec.ofCommand("tree", 1, List.of("sh", "-c",
        "sleep 600 & python3 -m http.server ${PORT} --bind 127.0.0.1; wait"))).sandbox();
    List<ProcessHandle> tree = tree("tree-1");
    assertThat(tree).hasSizeGreaterThanOrEqualTo(3);

    assertThat(runtime.delete("tree-1").toCompletableFuture().get(30, TimeUnit.SECONDS)).isTrue();

    assertThat(tree).noneMatch(p -> Processes.isRunning(p.pid()));
    assertThat(dataDir.resolve("instances/tree-1")).doesNotExist();
    assertThat(runtime.list()).isEmpty();
    assertThat(runtime.portsInUse()).isZero();
    assertThat(runtime.delete("tree-1").toCompletableFuture().get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void delete_killsATreeThatIgnoresSigterm() throws Exception {
    create("stubborn-1", SandboxSpec.ofCommand("stubborn", 1, List.of("sh", "-c",
        "trap '' TERM; sleep 600 & python3 -m http.server ${PORT} --bind 127.0.0.1; wait")));
    List<ProcessHandle> tree = tree("stubborn-1");

    runtime.delete("stubborn-1").toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(tree).noneMatch(p -> Processes.isRunning(p.pid()));
  }

  @Test
  void delete_killsADaemonThatDoubleForkedIntoASessionOfItsOwn() throws Exception {
    Path daemonPid = scratch.resolve("daemon.pid");
    create("daemon-1", daemonizing(daemonPid));
    long daemon = awaitPid(daemonPid);
    assertThat(Processes.isRunning(daemon)).isTrue();

    assertThat(runtime.delete("daemon-1").toCompletableFuture().get(30, TimeUnit.SECONDS)).isTrue();

    awaitGone(daemon);
  }

  @Test
  void delete_withoutAPidNamespace_stillKillsADaemonThatKeptItsEnvironment() throws Exception {
    ProcessSandboxRuntime plain = new ProcessSandboxRuntime(
        new ProcessRuntimeSettings(dataDir, "127.0.0.1", 21_500, 21_509, 300, 20_000), Containment.PROCESS_TREE);
    runtimes.add(plain);
    Path daemonPid = scratch.resolve("daemon.pid");
    plain.create("plain-daemon-1", SandboxKind.REGULAR, daemonizing(daemonPid))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    long daemon = awaitPid(daemonPid);
    long sandboxPid = SandboxMetadata.read(dataDir.resolve("instances/plain-daemon-1")).orElseThrow().pid();
    assertThat(ProcessTree.snapshot(ProcessHandle.of(sandboxPid).orElseThrow())).extracting(ProcessHandle::pid)
        .as("re-parented out of the sandbox's process tree").doesNotContain(daemon);

    assertThat(plain.delete("plain-daemon-1").toCompletableFuture().get(30, TimeUnit.SECONDS)).isTrue();

    awaitGone(daemon);
  }

  @Test
  void close_killsADaemonThatDoubleForked() throws Exception {
    Path daemonPid = scratch.resolve("daemon.pid");
    create("daemon-2", daemonizing(daemonPid));
    long daemon = awaitPid(daemonPid);

    runtime.close().toCompletableFuture().get(30, TimeUnit.SECONDS);

    awaitGone(daemon);
  }

  @Test
  void workerJvmKilledWithSigkill_takesItsSandboxesWithIt() throws Exception {
    assumeTrue(runtime.containment().diesWithWorker(), "setpriv --pdeathsig is not available here");
    Path daemonPid = scratch.resolve("daemon.pid");
    Path log = scratch.resolve("host.log");
    Process worker = ProcessRuntimeHost.start(dataDir, 21_510, "orphan-1", daemonizing(daemonPid).command(), log);
    long daemon;
    long sandboxPid;
    try {
      await().atMost(Duration.ofSeconds(60)).failFast("the host JVM exited", () -> !worker.isAlive())
          .until(() -> Files.exists(log) && Files.readString(log).contains("sandbox ready"));
      daemon = awaitPid(daemonPid);
      sandboxPid = SandboxMetadata.read(dataDir.resolve("instances/orphan-1")).orElseThrow().pid();
      assertThat(Processes.isRunning(daemon)).isTrue();
    } finally {
      worker.destroyForcibly();
    }
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();

    awaitGone(daemon);
    awaitGone(sandboxPid);
    assertThat(runtime.recover().toCompletableFuture().get(30, TimeUnit.SECONDS)).as("nothing left to adopt").isEmpty();
    assertThat(dataDir.resolve("instances/orphan-1")).doesNotExist();
  }

  @Test
  void functionKilledBySignal_isReportedKilled() throws Exception {
    Path pidFile = scratch.resolve("pid");
    create("sig-1", SandboxSpec.ofCommand("sig", 1, List.of("sh", "-c",
        Processes.writeOwnPid(pidFile.toString()) + "; exec python3 -m http.server ${PORT} --bind 127.0.0.1")));

    // The function's own process, not the runtime's wrapper around it.
    ProcessHandle.of(Processes.readPid(pidFile)).orElseThrow().destroyForcibly();

    await().atMost(Duration.ofSeconds(10))
        .until(() -> runtime.find("sig-1").map(Sandbox::state).orElse(null) == SandboxState.EXITED);
    assertThat(runtime.find("sig-1").orElseThrow().exit()).isNotNull().satisfies(exit -> {
      assertThat(exit.reason()).isEqualTo(io.pulse.worker.sandbox.SandboxExit.Reason.KILLED);
      assertThat(exit.exitCode()).isEqualTo(128 + 9);
    });
  }

  @Test
  void create_keepsTheLogAndTheInstanceDirectoriesPrivate() throws Exception {
    // A data dir from an older version, made with the usual umask.
    Files.createDirectories(dataDir.resolve("instances"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    create("private-1", SandboxSpec.ofCommand("private", 1, List.of("sh", "-c",
        "echo DB_PASSWORD=hunter2; exec python3 -m http.server ${PORT} --bind 127.0.0.1")));
    Path dir = dataDir.resolve("instances/private-1");

    await().atMost(Duration.ofSeconds(10))
        .until(() -> Files.readString(dir.resolve(ProcessSandboxRuntime.LOG_FILE)).contains("DB_PASSWORD"));
    assertThat(Processes.permissions(dir.resolve(ProcessSandboxRuntime.LOG_FILE))).isEqualTo("rw-------");
    assertThat(List.of(dataDir.resolve("instances"), dir)).extracting(Processes::permissions)
        .containsOnly("rwx------");
  }

  @Test
  void logs_ofAFunctionThatPrints30MB_stayWithinTwiceTheBoundAndKeepTheNewestLines() throws Exception {
    long bound = 1024 * 1024;
    ProcessSandboxRuntime bounded = new ProcessSandboxRuntime(
        new ProcessRuntimeSettings(dataDir, "127.0.0.1", 21_520, 21_529, 300, 20_000, bound));
    runtimes.add(bounded);
    bounded.create("chatty-1", SandboxKind.REGULAR, SandboxSpec.ofCommand("chatty", 1, List.of("sh", "-c",
            "yes 'a line of output to fill the log' | head -c 31457280; echo; echo last-marker;"
                + " exec python3 -m http.server ${PORT} --bind 127.0.0.1")))
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    Path log = dataDir.resolve("instances/chatty-1").resolve(ProcessSandboxRuntime.LOG_FILE);

    await().atMost(Duration.ofSeconds(60)).until(() -> lastLine(bounded, "chatty-1").equals("last-marker"));
    assertThat(Files.size(log)).isLessThanOrEqualTo(bound);
    assertThat(Files.size(RotatingLog.rotated(log))).isLessThanOrEqualTo(bound);
    assertThat(Files.size(log) + Files.size(RotatingLog.rotated(log))).isGreaterThan(bound / 2);
    List<LogLine> tail = bounded.logs("chatty-1", new LogQuery(3, 0)).toCompletableFuture().get(10, TimeUnit.SECONDS)
        .orElseThrow();
    assertThat(tail).extracting(LogLine::text)
        // 31457280 bytes are 953250 lines of 33 bytes and 30 more: head cut the last line there.
        .containsExactly("a line of output to fill the log", "a line of output to fill the l", "last-marker");
    assertThat(tail).allSatisfy(line -> assertThat(line.timeMs()).isPositive());
  }

  @Test
  void logs_ofAnUnknownInstance_areEmpty() throws Exception {
    assertThat(runtime.logs("nobody-1", new LogQuery(10, 0)).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isEmpty();
  }

  private static String lastLine(ProcessSandboxRuntime runtime, String id) throws Exception {
    List<LogLine> lines = runtime.logs(id, new LogQuery(1, 0)).toCompletableFuture().get(10, TimeUnit.SECONDS)
        .orElseThrow();
    return lines.isEmpty() ? "" : lines.getLast().text();
  }

  @Test
  void create_commandThatExitsAtOnce_failsWithExitCodeAndLogTailAndLeavesNothing() {
    Path pidFile = scratch.resolve("pid");
    SandboxException failure = failure(runtime.create("dies-1", SandboxKind.REGULAR,
        SandboxSpec.ofCommand("dies", 1, List.of("sh", "-c",
            Processes.writeOwnPid(pidFile.toString()) + "; echo first line; echo boom-marker >&2; exit 3"))));

    assertThat(failure.reason()).isEqualTo(Reason.START_FAILED);
    assertThat(failure.getMessage()).contains("code 3").contains("boom-marker").contains("first line");
    assertLeftNothing("dies-1");
    assertThat(Processes.isRunning(Processes.readPid(pidFile))).isFalse();
  }

  @Test
  void create_commandThatCannotBeExecuted_failsAndLeavesNothing() {
    SandboxException failure = failure(runtime.create("missing-1", SandboxKind.REGULAR,
        SandboxSpec.ofCommand("missing", 1, List.of("/nonexistent/pulse-binary"))));

    assertThat(failure.reason()).isEqualTo(Reason.START_FAILED);
    assertThat(failure.getMessage()).contains("/nonexistent/pulse-binary");
    assertLeftNothing("missing-1");
  }

  @Test
  void create_processThatNeverListens_timesOutAndLeavesNothing() {
    Path pidFile = scratch.resolve("pid");
    SandboxSpec spec = SandboxSpec.ofCommand("mute", 1, List.of("sh", "-c",
            Processes.writeOwnPid(pidFile.toString()) + "; echo waiting-forever; exec sleep 600"))
        .withReadinessTimeoutMs(300);

    SandboxException failure = failure(runtime.create("mute-1", SandboxKind.REGULAR, spec));

    assertThat(failure.reason()).isEqualTo(Reason.NOT_READY_IN_TIME);
    assertThat(failure.getMessage()).contains("300 ms").contains("waiting-forever");
    assertLeftNothing("mute-1");
    assertThat(Processes.isRunning(Processes.readPid(pidFile))).isFalse();
  }

  @Test
  void delete_whileStarting_abortsTheCreationAndLeavesNothing() throws Exception {
    Path pidFile = scratch.resolve("pid");
    CompletionStage<CreatedSandbox> creating = runtime.create("slow-1", SandboxKind.REGULAR,
        SandboxSpec.ofCommand("slow", 1, List.of("sh", "-c", Processes.writeOwnPid(pidFile.toString()) + "; exec sleep 600")));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile)
        && runtime.find("slow-1").map(Sandbox::state).orElse(null) == SandboxState.STARTING);

    assertThat(runtime.delete("slow-1").toCompletableFuture().get(30, TimeUnit.SECONDS)).isTrue();

    assertThat(failure(creating).reason()).isEqualTo(Reason.ABORTED);
    assertLeftNothing("slow-1");
    assertThat(Processes.isRunning(Processes.readPid(pidFile))).isFalse();
  }

  @Test
  void processThatDiesLater_isReportedExitedUntilDeleted() throws Exception {
    create("crash-1", SandboxSpec.ofCommand("crash", 1, PYTHON));
    long pid = SandboxMetadata.read(dataDir.resolve("instances/crash-1")).orElseThrow().pid();

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    await().atMost(Duration.ofSeconds(10))
        .until(() -> runtime.find("crash-1").map(Sandbox::state).orElse(null) == SandboxState.EXITED);
    assertThat(runtime.find("crash-1").orElseThrow().exit()).isNotNull()
        .satisfies(exit -> assertThat(exit.reason()).isEqualTo(io.pulse.worker.sandbox.SandboxExit.Reason.KILLED));
    assertThat(runtime.delete("crash-1").toCompletableFuture().get(30, TimeUnit.SECONDS)).isTrue();
    assertLeftNothing("crash-1");
  }

  @Test
  void imageOnlySpec_isInvalidOnThisRuntime() {
    SandboxSpec spec = new SandboxSpec("img", 1, "docker.io/library/nginx:latest", List.of(), 0, Map.of(),
        Resources.NONE, 0);

    SandboxException failure = failure(runtime.create("img-1", SandboxKind.REGULAR, spec));

    assertThat(failure.reason()).isEqualTo(Reason.INVALID_SPEC);
    assertThat(failure.getMessage()).contains("spec.command").contains("process runtime");
  }

  @Test
  void instanceIdThatCouldEscapeTheDataDir_isInvalid() {
    SandboxException failure = failure(runtime.create("../evil", SandboxKind.REGULAR,
        SandboxSpec.ofCommand("x", 1, PYTHON)));

    assertThat(failure.reason()).isEqualTo(Reason.INVALID_SPEC);
    assertThat(failure.getMessage()).contains("instanceId");
  }

  @Test
  void create_sameInstanceIdTwice_failsWithAlreadyExists() throws Exception {
    create("dup-1", SandboxSpec.ofCommand("dup", 1, PYTHON));

    SandboxException failure = failure(runtime.create("dup-1", SandboxKind.REGULAR,
        SandboxSpec.ofCommand("dup", 1, PYTHON)));

    assertThat(failure.reason()).isEqualTo(Reason.ALREADY_EXISTS);
    assertThat(runtime.list()).hasSize(1);
  }

  @Test
  void recover_reAdoptsALiveProcessAndCleansUpADeadOne() throws Exception {
    Sandbox alive = create("alive-1", SandboxSpec.ofCommand("alive", 2, PYTHON)
        .withResources(new Resources(250, 64))).sandbox();
    create("dead-1", SandboxSpec.ofCommand("dead", 1, PYTHON));
    long alivePid = SandboxMetadata.read(dataDir.resolve("instances/alive-1")).orElseThrow().pid();
    long deadPid = SandboxMetadata.read(dataDir.resolve("instances/dead-1")).orElseThrow().pid();
    ProcessHandle dead = ProcessHandle.of(deadPid).orElseThrow();
    dead.destroyForcibly();
    dead.onExit().get(10, TimeUnit.SECONDS);
    Files.createDirectories(dataDir.resolve("instances/half-made"));
    // The first runtime is abandoned as if its worker crashed; a new one starts on the same data dir.
    ProcessSandboxRuntime restarted = newRuntime(PORT_START, PORT_END);

    List<Sandbox> adopted = restarted.recover().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(adopted).containsExactly(alive);
    assertThat(restarted.list()).containsExactly(alive);
    assertThat(get(alive).statusCode()).isEqualTo(200);
    assertThat(dataDir.resolve("instances/dead-1")).doesNotExist();
    assertThat(dataDir.resolve("instances/half-made")).doesNotExist();
    assertThat(restarted.portsInUse()).isEqualTo(1);

    assertThat(restarted.delete("alive-1").toCompletableFuture().get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Processes.isRunning(alivePid)).isFalse();
    assertThat(dataDir.resolve("instances/alive-1")).doesNotExist();
  }

  @Test
  void recover_reAdoptsAnEmergencyInstanceWithItsCreatorAndLease() throws Exception {
    CreatorLease lease = new CreatorLease("dp-a", 30_000);
    Sandbox emergency = runtime.create("e-1", SandboxKind.EMERGENCY, SandboxSpec.ofCommand("f", 1, PYTHON)
        .withCreator(lease)).toCompletableFuture().get(30, TimeUnit.SECONDS).sandbox();
    assertThat(emergency.creator()).isEqualTo(lease);
    ProcessSandboxRuntime restarted = newRuntime(PORT_START, PORT_END);

    List<Sandbox> adopted = restarted.recover().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(adopted).containsExactly(emergency);
    assertThat(adopted.getFirst().creator()).isEqualTo(lease);
  }

  @Test
  void recover_doesNotAdoptAProcessWhosePidWasReused() throws Exception {
    create("reused-1", SandboxSpec.ofCommand("reused", 1, PYTHON));
    Path dir = dataDir.resolve("instances/reused-1");
    SandboxMetadata real = SandboxMetadata.read(dir).orElseThrow();
    // Same pid, another start time: what a recycled pid looks like.
    new SandboxMetadata(real.instanceId(), real.pid(), real.startMillis() - 60_000, real.port(), real.function(),
        real.revision(), real.kind(), real.resources(), real.createdAtMs(), real.creator()).write(dir);
    ProcessSandboxRuntime restarted = newRuntime(PORT_START, PORT_END);

    assertThat(restarted.recover().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEmpty();
    assertThat(Processes.isRunning(real.pid())).as("not ours, so not killed").isTrue();
  }

  @Test
  void close_killsEverythingAndRefusesNewSandboxes() throws Exception {
    create("c-1", SandboxSpec.ofCommand("c", 1, PYTHON));
    create("c-2", SandboxSpec.ofCommand("c", 1, PYTHON));
    List<ProcessHandle> processes = Stream.concat(tree("c-1").stream(), tree("c-2").stream()).toList();

    runtime.close().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(processes).noneMatch(p -> Processes.isRunning(p.pid()));
    assertThat(runtime.list()).isEmpty();
    try (Stream<Path> left = Files.list(dataDir.resolve("instances"))) {
      assertThat(left).isEmpty();
    }
    assertThat(failure(runtime.create("c-3", SandboxKind.REGULAR, SandboxSpec.ofCommand("c", 1, PYTHON))).reason())
        .isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void manyCreateDeleteCycles_leakNoPortAndNoProcess() throws Exception {
    // Three ports for twenty cycles: one leaked port per cycle would exhaust the range quickly.
    ProcessSandboxRuntime small = newRuntime(21_200, 21_202);
    List<Long> pids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = "cycle-" + i;
      Sandbox sandbox = small.create(id, SandboxKind.EMERGENCY, SandboxSpec.ofCommand("cycle", 1, PYTHON))
          .toCompletableFuture().get(30, TimeUnit.SECONDS).sandbox();
      pids.add(SandboxMetadata.read(dataDir.resolve("instances").resolve(id)).orElseThrow().pid());
      assertThat(get(sandbox).statusCode()).isEqualTo(200);
      assertThat(small.delete(id).toCompletableFuture().get(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(small.portsInUse()).isZero();
    assertThat(small.list()).isEmpty();
    assertThat(pids).noneMatch(Processes::isRunning);
    try (Stream<Path> left = Files.list(dataDir.resolve("instances"))) {
      assertThat(left).isEmpty();
    }
  }

  private ProcessSandboxRuntime newRuntime(int start, int end) {
    ProcessSandboxRuntime r = new ProcessSandboxRuntime(
        new ProcessRuntimeSettings(dataDir, "127.0.0.1", start, end, 300, 20_000));
    runtimes.add(r);
    return r;
  }

  private CreatedSandbox create(String id, SandboxSpec spec) throws Exception {
    return runtime.create(id, SandboxKind.REGULAR, spec).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private List<ProcessHandle> tree(String id) {
    long pid = SandboxMetadata.read(dataDir.resolve("instances").resolve(id)).orElseThrow().pid();
    return List.copyOf(ProcessTree.snapshot(ProcessHandle.of(pid).orElseThrow()));
  }

  /**
   * A function that starts a daemon the classic way, {@code (setsid daemon &)}: the subshell exits at once, so the
   * daemon is re-parented and sits in a session of its own. The daemon writes its pid to {@code pidFile}.
   */
  private SandboxSpec daemonizing(Path pidFile) throws IOException {
    Path daemon = scratch.resolve("daemon.sh");
    Files.writeString(daemon, Processes.writeOwnPid(pidFile.toString()) + "; exec sleep 1000\n");
    return SandboxSpec.ofCommand("daemon", 1, List.of("sh", "-c",
        "(setsid sh '" + daemon + "' &); exec python3 -m http.server ${PORT} --bind 127.0.0.1"));
  }

  private static long awaitPid(Path pidFile) {
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
    return Processes.readPid(pidFile);
  }

  private static void awaitGone(long pid) {
    await("process " + pid + " gone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> !Processes.isRunning(pid));
  }

  private HttpResponse<String> get(Sandbox sandbox) throws IOException, InterruptedException {
    URI uri = URI.create("http://" + sandbox.endpoint() + "/");
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void assertLeftNothing(String id) {
    assertThat(runtime.find(id)).isEmpty();
    assertThat(dataDir.resolve("instances").resolve(id)).doesNotExist();
    assertThat(runtime.portsInUse()).isZero();
  }

  static SandboxException failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SandboxException se) {
        return se;
      }
      throw new AssertionError("expected a SandboxException, got " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the stage to fail, but it succeeded");
  }
}
