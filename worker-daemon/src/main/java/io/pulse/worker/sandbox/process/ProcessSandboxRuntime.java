package io.pulse.worker.sandbox.process;

import io.pulse.common.net.HostPort;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.PortAllocator;
import io.pulse.worker.sandbox.PrivateFiles;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxException.Reason;
import io.pulse.worker.sandbox.SandboxExit;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxRuntime;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import io.pulse.worker.sandbox.SecretFiles;
import io.pulse.worker.sandbox.Timings;
import io.pulse.worker.sandbox.logs.LogFiles;
import io.pulse.worker.sandbox.logs.LogLine;
import io.pulse.worker.sandbox.logs.LogPump;
import io.pulse.worker.sandbox.logs.LogQuery;
import io.pulse.worker.sandbox.logs.LogTail;
import io.pulse.worker.sandbox.logs.RotatingLog;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each sandbox as a child process of the worker (see the package description). Process work (fork, probing,
 * killing, disk) runs on the runtime's virtual threads, never on the caller's.
 *
 * <p>A spec's {@code port} is ignored: processes share the machine's network, so every sandbox gets its own port from
 * the range and learns it through {@code $PORT} and {@code ${PORT}} in its argv.
 *
 * <p>Each sandbox's processes are kept together by the {@link Containment} probed at construction (a PID namespace
 * where the machine allows one), so that deleting it, or stopping the worker, leaves none of them running.
 */
public final class ProcessSandboxRuntime implements SandboxRuntime {

  static final String LOG_FILE = "output.log";
  /** The read-only files of the secrets the function names (env PULSE_SECRETS_DIR). */
  static final String SECRETS_DIR = "secrets";
  /** Every process of a sandbox inherits it, which is how {@link MarkedProcesses} finds strays. */
  static final String INSTANCE_ENV = "PULSE_INSTANCE_ID";
  private static final Logger LOG = LoggerFactory.getLogger(ProcessSandboxRuntime.class);
  /** The id names a directory: keep it to characters that cannot escape {@code instances/}. */
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "LANG", "TMPDIR");
  private static final int LOG_TAIL_LINES = 20;
  private static final long DRAIN_TIMEOUT_MS = 2_000;

  private final ProcessRuntimeSettings settings;
  private final Path instancesDir;
  private final PortAllocator ports;
  private final Map<String, ProcessSandbox> sandboxes = new ConcurrentHashMap<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Launcher launcher = new Launcher();
  private final CompletableFuture<Containment> containment;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

  public ProcessSandboxRuntime(ProcessRuntimeSettings settings) {
    this(settings, null);
  }

  /** With a given containment instead of the strongest this machine offers (tests of the weaker ones). */
  ProcessSandboxRuntime(ProcessRuntimeSettings settings, @Nullable Containment containment) {
    this.settings = settings;
    this.instancesDir = settings.dataDir().resolve("instances");
    this.ports = new PortAllocator(settings.portRangeStart(), settings.portRangeEnd());
    this.containment = containment != null ? CompletableFuture.completedFuture(containment)
        : CompletableFuture.supplyAsync(Containment::probe, executor);
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public CompletionStage<CreatedSandbox> create(String instanceId, SandboxKind kind, SandboxSpec spec) {
    if (!INSTANCE_ID.matcher(instanceId).matches()) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.INVALID_SPEC,
          "instanceId must match " + INSTANCE_ID.pattern() + ", was '" + instanceId + "'"));
    }
    if (spec.command().isEmpty()) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.INVALID_SPEC,
          "spec.command is required by the process runtime (image-only specs need the containerd runtime)"));
    }
    return async(() -> doCreate(instanceId, kind, spec));
  }

  @Override
  public CompletionStage<Boolean> delete(String instanceId) {
    ProcessSandbox sandbox = sandboxes.remove(instanceId);
    if (sandbox == null) {
      return CompletableFuture.completedFuture(false);
    }
    sandbox.abort();
    return async(() -> {
      // A creation in progress notices the abort, cleans up itself and settles false.
      if (sandbox.settled.join()) {
        cleanUp(sandbox);
      }
      LOG.atInfo().setMessage("sandbox deleted").addKeyValue("instance", instanceId).log();
      return true;
    });
  }

  @Override
  public List<Sandbox> list() {
    return sandboxes.values().stream().map(ProcessSandbox::info).toList();
  }

  @Override
  public Optional<Sandbox> find(String instanceId) {
    return Optional.ofNullable(sandboxes.get(instanceId)).map(ProcessSandbox::info);
  }

  @Override
  public CompletionStage<List<Sandbox>> recover() {
    return async(this::doRecover);
  }

  @Override
  public CompletionStage<Void> close() {
    if (closed.compareAndSet(false, true)) {
      CompletableFuture<?>[] deletes = sandboxes.keySet().stream()
          .map(id -> delete(id).toCompletableFuture())
          .toArray(CompletableFuture[]::new);
      CompletableFuture.allOf(deletes).whenComplete((v, failure) -> {
        // Only now: the launcher thread's end sends the parent-death signal to anything it started.
        launcher.close();
        executor.shutdown();
        closedFuture.complete(null);
      });
    }
    return closedFuture;
  }

  @Override
  public CompletionStage<Optional<List<LogLine>>> logs(String instanceId, LogQuery query) {
    ProcessSandbox sandbox = sandboxes.get(instanceId);
    if (sandbox == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return async(() -> {
      try {
        return Optional.of(LogFiles.read(sandbox.dir.resolve(LOG_FILE), query));
      } catch (IOException e) {
        throw new SandboxException(Reason.UNAVAILABLE, "cannot read the log of " + instanceId + ": " + e.getMessage(),
            e);
      }
    });
  }

  /** How this runtime keeps sandboxes' processes together; blocks until probed. */
  Containment containment() {
    return containment.join();
  }

  /** Ports held by sandboxes now; for tests that look for leaks. */
  int portsInUse() {
    return ports.inUseCount();
  }

  private CreatedSandbox doCreate(String instanceId, SandboxKind kind, SandboxSpec spec) {
    long t0 = System.nanoTime();
    int port = ports.allocate().orElseThrow(() -> new SandboxException(Reason.NO_CAPACITY,
        "no free port left in " + settings.portRangeStart() + ".." + settings.portRangeEnd()));
    Sandbox info = new Sandbox(instanceId, spec.function(), spec.revision(), kind,
        new HostPort(settings.advertiseHost(), port), System.currentTimeMillis(), spec.resources(),
        SandboxState.STARTING).withCreator(spec.creator());
    ProcessSandbox sandbox = new ProcessSandbox(info, port, instancesDir.resolve(instanceId));
    if (sandboxes.putIfAbsent(instanceId, sandbox) != null) {
      ports.release(port);
      throw new SandboxException(Reason.ALREADY_EXISTS, "instance " + instanceId + " already exists");
    }
    try {
      // Checked after publishing, so close() either sees this sandbox or this creation sees close().
      if (closed.get()) {
        throw new SandboxException(Reason.UNAVAILABLE, "the process runtime is shutting down");
      }
      CreatedSandbox created = launch(sandbox, spec, t0);
      sandbox.settled.complete(true);
      return created;
    } catch (RuntimeException e) {
      cleanUp(sandbox);
      sandboxes.remove(instanceId, sandbox);
      sandbox.settled.complete(false);
      LOG.atWarn().setMessage("sandbox creation failed").addKeyValue("instance", instanceId)
          .addKeyValue("function", spec.function()).addKeyValue("error", oneLine(e.getMessage())).log();
      throw e;
    }
  }

  private CreatedSandbox launch(ProcessSandbox sandbox, SandboxSpec spec, long t0) {
    Path dir = sandbox.dir;
    Path log = dir.resolve(LOG_FILE);
    String port = Integer.toString(sandbox.port);
    List<String> argv = spec.command().stream().map(arg -> arg.replace("${PORT}", port)).toList();
    RotatingLog output;
    try {
      PrivateFiles.directory(instancesDir);
      PrivateFiles.directory(dir);
      if (!spec.secrets().isEmpty()) {
        SecretFiles.write(dir.resolve(SECRETS_DIR), spec.secrets());
      }
      output = new RotatingLog(log, settings.logMaxBytes(), System::currentTimeMillis);
    } catch (IOException e) {
      throw new SandboxException(Reason.UNAVAILABLE, "cannot create " + dir + ": " + e.getMessage(), e);
    }
    ProcessBuilder builder = new ProcessBuilder(containment().wrap(argv))
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.clear();
    INHERITED_ENV.forEach(name -> {
      String value = System.getenv(name);
      if (value != null) {
        env.put(name, value);
      }
    });
    env.putAll(spec.env());
    env.put("PORT", port);
    env.put(INSTANCE_ENV, sandbox.instanceId);
    env.put("PULSE_FUNCTION", spec.function());
    env.put("PULSE_REVISION", Long.toString(spec.revision()));
    if (!spec.secrets().isEmpty()) {
      env.put("PULSE_SECRETS_DIR", dir.resolve(SECRETS_DIR).toAbsolutePath().toString());
      spec.secrets().forEach(secret -> {
        if (secret.env() != null) {
          env.put(secret.env(), new String(secret.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
      });
    }

    long t1 = System.nanoTime();
    Process process;
    try {
      process = launcher.start(builder);
    } catch (IOException e) {
      closeQuietly(output);
      throw new SandboxException(Reason.START_FAILED, "cannot start " + argv.get(0) + ": " + e.getMessage(), e);
    }
    long t2 = System.nanoTime();
    // Through a pipe rather than into the file, so that the worker can bound the file's size.
    LogPump pump = LogPump.start(sandbox.instanceId, process.getInputStream(), output);
    ProcessHandle handle = process.toHandle();
    if (!sandbox.attach(handle)) {
      throw new SandboxException(Reason.ABORTED, "instance " + sandbox.instanceId + " was deleted while starting");
    }
    Sandbox info = sandbox.info();
    try {
      new SandboxMetadata(sandbox.instanceId, handle.pid(), startMillis(handle), sandbox.port, info.function(),
          info.revision(), info.kind(), info.resources(), info.createdAtMs(), info.creator()).write(dir);
    } catch (IOException e) {
      throw new SandboxException(Reason.UNAVAILABLE, "cannot write metadata in " + dir + ": " + e.getMessage(), e);
    }

    long timeoutMs = spec.readinessTimeoutMs() > 0 ? spec.readinessTimeoutMs() : settings.defaultReadinessTimeoutMs();
    ReadinessProbe.Outcome outcome = ReadinessProbe.await(sandbox.port, t2 + timeoutMs * 1_000_000,
        () -> sandbox.aborted() || !process.isAlive());
    if (outcome == ReadinessProbe.Outcome.READY && !sandbox.markReady()) {
      outcome = ReadinessProbe.Outcome.GAVE_UP;
    }
    switch (outcome) {
      case READY -> { }
      case GAVE_UP -> {
        if (sandbox.aborted()) {
          throw new SandboxException(Reason.ABORTED,
              "instance " + sandbox.instanceId + " was deleted while starting");
        }
        String code = exitCode(process);
        // What it printed last is likely why it failed: let the pump write it first.
        pump.awaitDrained(DRAIN_TIMEOUT_MS);
        throw new SandboxException(Reason.START_FAILED, "process exited with code " + code
            + " before accepting connections on port " + port + "; last lines of its log:\n"
            + LogTail.lastLines(log, LOG_TAIL_LINES));
      }
      case TIMED_OUT -> throw new SandboxException(Reason.NOT_READY_IN_TIME,
          "not accepting connections on port " + port + " after " + timeoutMs + " ms; last lines of its log:\n"
              + LogTail.lastLines(log, LOG_TAIL_LINES));
    }
    long t3 = System.nanoTime();
    process.onExit().thenAccept(p -> {
      // Java reports a process killed by signal N as exit value 128 + N.
      SandboxExit exit = SandboxExit.classify(p.exitValue(), false, 0, System.currentTimeMillis());
      sandbox.markExited(exit);
      if (!sandbox.aborted()) {
        LOG.atWarn().setMessage("sandbox process exited").addKeyValue("instance", sandbox.instanceId)
            .addKeyValue("exitCode", p.exitValue()).addKeyValue("reason", exit.reason()).log();
      }
    });
    LOG.atInfo().setMessage("sandbox ready").addKeyValue("instance", sandbox.instanceId)
        .addKeyValue("function", info.function()).addKeyValue("port", sandbox.port)
        .addKeyValue("totalMicros", micros(t3 - t0)).log();
    return new CreatedSandbox(sandbox.info(),
        new Timings(0, micros(t1 - t0), 0, micros(t2 - t1), micros(t3 - t2), micros(t3 - t0)));
  }

  private List<Sandbox> doRecover() {
    List<Sandbox> adopted = new ArrayList<>();
    List<Path> dirs;
    try {
      PrivateFiles.directory(instancesDir);
      try (Stream<Path> list = Files.list(instancesDir)) {
        dirs = list.filter(Files::isDirectory).toList();
      }
    } catch (IOException e) {
      throw new SandboxException(Reason.UNAVAILABLE, "cannot read " + instancesDir + ": " + e.getMessage(), e);
    }
    for (Path dir : dirs) {
      Optional<SandboxMetadata> metadata = SandboxMetadata.read(dir)
          .filter(m -> m.instanceId().equals(dir.getFileName().toString()));
      Optional<ProcessHandle> process = metadata.flatMap(m -> ProcessHandle.of(m.pid())
          .filter(ProcessTree::isRunning)
          .filter(h -> m.startMillis() > 0 && startMillis(h) == m.startMillis()));
      if (metadata.isPresent() && process.isPresent() && ReadinessProbe.accepts(metadata.get().port())) {
        adopted.add(adopt(metadata.get(), process.get(), dir));
      } else {
        // Dead, or never became ready before the previous run stopped: nobody was told it exists.
        ProcessTree.terminate(members(process.orElse(null), dir.getFileName().toString()), settings.stopGraceMs());
        deleteRecursively(dir);
        LOG.atInfo().setMessage("cleaned up sandbox left by a previous run")
            .addKeyValue("dir", dir.getFileName()).addKeyValue("alive", process.isPresent()).log();
      }
    }
    return adopted;
  }

  private Sandbox adopt(SandboxMetadata m, ProcessHandle process, Path dir) {
    Sandbox info = new Sandbox(m.instanceId(), m.function(), m.revision(), m.kind(),
        new HostPort(settings.advertiseHost(), m.port()), m.createdAtMs(), m.resources(), SandboxState.READY)
        .withCreator(m.creator());
    ProcessSandbox sandbox = new ProcessSandbox(info, m.port(), dir);
    sandbox.attach(process);
    sandbox.settled.complete(true);
    ports.claim(m.port());
    sandboxes.put(m.instanceId(), sandbox);
    // Not our child any more: its exit status is not ours to read.
    process.onExit().thenRun(() -> sandbox.markExited(SandboxExit.classify(-1, false, 0,
        System.currentTimeMillis())));
    LOG.atInfo().setMessage("re-adopted sandbox").addKeyValue("instance", m.instanceId())
        .addKeyValue("pid", m.pid()).addKeyValue("port", m.port()).log();
    return info;
  }

  private void cleanUp(ProcessSandbox sandbox) {
    ProcessTree.terminate(members(sandbox.handle(), sandbox.instanceId), settings.stopGraceMs());
    ports.release(sandbox.port);
    deleteRecursively(sandbox.dir);
  }

  /** The processes of a sandbox, asked anew each time: in a namespace the tree, else also the strays. */
  private Supplier<Set<ProcessHandle>> members(@Nullable ProcessHandle root, String instanceId) {
    boolean namespaced = containment().namespaced();
    return () -> {
      Set<ProcessHandle> members = root == null ? new LinkedHashSet<>() : ProcessTree.snapshot(root);
      if (!namespaced) {
        members.addAll(MarkedProcesses.of(instanceId));
      }
      return members;
    };
  }

  private <T> CompletableFuture<T> async(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.UNAVAILABLE, "the process runtime is closed"));
    }
  }

  private static long startMillis(ProcessHandle handle) {
    return handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
  }

  private static void closeQuietly(RotatingLog log) {
    try {
      log.close();
    } catch (IOException e) {
      // Its directory is deleted with the failed creation.
    }
  }

  private static String exitCode(Process process) {
    try {
      return Integer.toString(process.waitFor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** Log lines stay one line each (logfmt); the log tail in a failure message has several. */
  private static String oneLine(@Nullable String text) {
    return String.valueOf(text).replace("\n", "\\n");
  }

  private static long micros(long nanos) {
    return nanos / 1_000;
  }

  private static void deleteRecursively(Path dir) {
    try {
      PrivateFiles.deleteTree(dir);
    } catch (IOException e) {
      LOG.atWarn().setMessage("cannot remove sandbox directory").addKeyValue("dir", dir)
          .addKeyValue("error", e.getMessage()).log();
    }
  }
}
