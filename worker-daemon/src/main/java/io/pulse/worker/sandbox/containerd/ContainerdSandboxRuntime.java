package io.pulse.worker.sandbox.containerd;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import io.grpc.StatusRuntimeException;
import io.pulse.common.net.HostPort;
import io.pulse.worker.cni.CniBridge;
import io.pulse.worker.image.ImageConfig;
import io.pulse.worker.image.ImagePullException;
import io.pulse.worker.image.ImagePuller;
import io.pulse.worker.image.RegistryClient;
import io.pulse.worker.oci.RuntimeSpecs;
import io.pulse.worker.oci.SpecInputs;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.PoolableRuntime;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxException.Reason;
import io.pulse.worker.sandbox.SandboxExit;
import io.pulse.worker.sandbox.PreparedImage;
import io.pulse.worker.sandbox.PortAllocator;
import io.pulse.worker.sandbox.PrivateFiles;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxRuntime;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import io.pulse.worker.sandbox.Timings;
import io.pulse.worker.sandbox.containerd.api.Container;
import io.pulse.worker.sandbox.containerd.api.CreateContainerRequest;
import io.pulse.worker.sandbox.containerd.api.CreateTaskRequest;
import io.pulse.worker.sandbox.containerd.api.DeleteContainerRequest;
import io.pulse.worker.sandbox.containerd.api.DeleteTaskRequest;
import io.pulse.worker.sandbox.containerd.api.GetRequest;
import io.pulse.worker.sandbox.containerd.api.KillRequest;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.sandbox.containerd.api.ListSnapshotsRequest;
import io.pulse.worker.sandbox.containerd.api.ListTasksRequest;
import io.pulse.worker.sandbox.containerd.api.Mount;
import io.pulse.worker.sandbox.containerd.api.PrepareSnapshotRequest;
import io.pulse.worker.sandbox.containerd.api.Process;
import io.pulse.worker.sandbox.containerd.api.RemoveSnapshotRequest;
import io.pulse.worker.sandbox.containerd.api.StartRequest;
import io.pulse.worker.sandbox.containerd.api.Status;
import io.pulse.worker.sandbox.containerd.api.UpdateContainerRequest;
import io.pulse.worker.sandbox.containerd.api.WaitRequest;
import io.pulse.worker.sandbox.logs.LogFiles;
import io.pulse.worker.sandbox.logs.LogLine;
import io.pulse.worker.sandbox.logs.LogQuery;
import io.pulse.worker.sandbox.logs.LogTail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes as containerd containers: image (pulled and unpacked on first use), a writable snapshot on top of it, a
 * container record carrying our labels and an OCI spec we build, a runc task, and in CNI mode a bridge address.
 * Creation times each phase; deletion removes task, container, snapshot and address, tolerating any part already
 * gone; {@link #recover()} re-adopts running tasks from their labels and removes everything else of ours.
 */
public final class ContainerdSandboxRuntime implements PoolableRuntime<ContainerdSandboxRuntime.Precreated> {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerdSandboxRuntime.class);
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,75}");
  private static final int SIGTERM = 15;
  private static final int SIGKILL = 9;
  private static final int LOG_TAIL_LINES = 20;
  private static final long DRAIN_TIMEOUT_MS = 2_000;

  private final ContainerdSettings settings;
  /**
   * Pool members made and neither claimed nor discarded yet, by container id, with their output readers: what a close
   * removes of the pool's, whether or not the pool has heard of them yet.
   */
  private final Map<String, Held> members = new ConcurrentHashMap<>();
  private final ContainerdClient client;
  private final ImagePuller images;
  private final @Nullable CniBridge cni;
  private final PortAllocator ports;
  private final SecretMounts secrets;
  private final Map<String, Entry> sandboxes = new ConcurrentHashMap<>();
  private final Set<String> oomKilled = ConcurrentHashMap.newKeySet();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  /** Where a claimed member's relabel runs, after the claim's answer (tests hold it back). */
  private final Executor relabels;
  private final TaskEvents events;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Creations, deletions and discards under way: a close waits for them before it lets go of containerd. */
  private final InFlight inFlight = new InFlight();
  private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

  /**
   * One sandbox: its published snapshot plus what creation and deletion coordinate on. Its containerd objects are
   * named {@code containerId}: the instance id, except for a claimed pool member, whose objects were made before
   * anyone knew the instance id.
   */
  private static final class Entry {
    volatile Sandbox sandbox;
    volatile boolean aborted;
    volatile @Nullable TaskOutput output;
    final int hostPort;
    final String containerId;
    final CompletableFuture<Void> settled = new CompletableFuture<>();

    Entry(Sandbox sandbox, int hostPort) {
      this(sandbox, hostPort, sandbox.instanceId());
    }

    Entry(Sandbox sandbox, int hostPort, String containerId) {
      this.sandbox = sandbox;
      this.hostPort = hostPort;
      this.containerId = containerId;
    }
  }

  /**
   * A sandbox created but not started, held by a pool ({@code pool/}): snapshot, container (labelled a pool member),
   * task (runc's init waits to exec) and network are in place. Not listed, not an instance, until {@link #start}.
   */
  public record Precreated(String containerId, SandboxSpec spec, HostPort endpoint, String probeHost, int hostPort,
      Path logs, Timings timings) {}

  /** A member this runtime holds until a claim or a discard takes it, with the reader of its output. */
  private record Held(Precreated member, @Nullable TaskOutput output) {}

  public ContainerdSandboxRuntime(ContainerdSettings settings) {
    this(settings, null);
  }

  ContainerdSandboxRuntime(ContainerdSettings settings, @Nullable Executor relabels) {
    this.settings = settings;
    this.relabels = relabels != null ? relabels : executor;
    this.client = ContainerdClient.connect(settings.socket(), settings.namespace(), settings.callDeadlineMs());
    this.images = new ImagePuller(client, new RegistryClient(settings.insecureRegistries(), settings.credentials(),
        Duration.ofSeconds(5), Duration.ofSeconds(30)), settings.snapshotter(), settings.pullDeadlineMs());
    this.cni = settings.network().equals("cni") ? new CniBridge(settings.cniBinDir(),
        CniBridge.networkName(settings.namespace()), CniBridge.bridgeName(settings.namespace()), settings.cniSubnet(),
        settings.cniIpMasq(), settings.dataDir().resolve("cni")) : null;
    this.ports = new PortAllocator(settings.portRangeStart(), settings.portRangeEnd());
    this.secrets = new SecretMounts(settings.secretsDir().resolve(settings.namespace()));
    this.events = new TaskEvents(client, new Listener());
  }

  @Override
  public String name() {
    return "containerd";
  }

  /** Why a sandbox exited, while it is listed as EXITED. */
  public Optional<SandboxExit> exitReason(String instanceId) {
    return find(instanceId).map(Sandbox::exit);
  }

  @Override
  public CompletionStage<PreparedImage> prepareImage(String image) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.UNAVAILABLE, "runtime is closed"));
    }
    try {
      return CompletableFuture.supplyAsync(() -> pull(image), executor);
    } catch (RejectedExecutionException e) { // closed between the check and the hand-off
      return CompletableFuture.failedFuture(new SandboxException(Reason.UNAVAILABLE, "runtime is closed"));
    }
  }

  private PreparedImage pull(String image) {
    try {
      ImagePuller.Prepared prepared = images.prepare(image);
      LOG.atInfo().setMessage("image prepared").addKeyValue("image", prepared.config().name())
          .addKeyValue("digest", prepared.config().manifestDigest())
          .addKeyValue("alreadyPresent", prepared.alreadyPresent())
          .addKeyValue("ms", prepared.micros() / 1_000).log();
      return new PreparedImage(prepared.alreadyPresent(), prepared.config().manifestDigest(),
          prepared.alreadyPresent() ? 0 : prepared.micros());
    } catch (ImagePullException e) {
      throw new SandboxException(switch (e.kind()) {
        case BAD_REFERENCE -> Reason.INVALID_SPEC;
        case NOT_FOUND -> Reason.IMAGE_NOT_FOUND;
        case UNAUTHORIZED -> Reason.UNAUTHORIZED;
        case UNAVAILABLE -> Reason.UNAVAILABLE;
      }, "image " + image + ": " + e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      throw translate("prepare-image", e);
    }
  }

  /** The config of {@code image} as its sandboxes run it, pulled and unpacked first if it is not yet. */
  public ImageConfig imageConfig(String image) {
    return images.ensure(image);
  }

  /** The port a sandbox listens on, and the host port it holds for it (0 = none: CNI gives it an address). */
  private record SandboxPorts(int hostPort, int port) {}

  /** Host networking takes a host port from the range; CNI needs none. Empty when the range is exhausted. */
  private Optional<SandboxPorts> allocatePorts(SandboxSpec spec) {
    if (cni != null) {
      return Optional.of(new SandboxPorts(0, spec.port() != 0 ? spec.port() : settings.cniPort()));
    }
    var port = ports.allocate();
    return port.isEmpty() ? Optional.empty() : Optional.of(new SandboxPorts(port.getAsInt(), port.getAsInt()));
  }

  @Override
  public CompletionStage<CreatedSandbox> create(String instanceId, SandboxKind kind, SandboxSpec spec) {
    Optional<SandboxException> refusal = refusal(instanceId, spec);
    if (refusal.isPresent()) {
      return CompletableFuture.failedFuture(refusal.get());
    }
    Optional<SandboxPorts> allocated = allocatePorts(spec);
    if (allocated.isEmpty()) {
      return CompletableFuture.failedFuture(noPort());
    }
    int hostPort = allocated.get().hostPort();
    int port = allocated.get().port();
    Sandbox starting = new Sandbox(instanceId, spec.function(), spec.revision(), kind,
        new HostPort(settings.advertiseHost(), port), System.currentTimeMillis(), spec.resources(),
        SandboxState.STARTING).withCreator(spec.creator());
    Entry entry = new Entry(starting, hostPort);
    if (sandboxes.putIfAbsent(instanceId, entry) != null) {
      if (hostPort != 0) {
        ports.release(hostPort);
      }
      return CompletableFuture.failedFuture(new SandboxException(Reason.ALREADY_EXISTS,
          "instance " + instanceId + " exists"));
    }
    oomKilled.remove(instanceId);
    return creation(() -> run(instanceId, spec, entry, port), () -> {
      sandboxes.remove(instanceId, entry);
      if (hostPort != 0) {
        ports.release(hostPort);
      }
      entry.settled.complete(null);
    });
  }

  /**
   * Runs a creation (or claim) on the runtime's threads, counted as under way until it ends, so that a close waits for
   * it. Refused once the runtime is closing, after {@code undo} gave back what the caller took for it: counted first
   * and checked second, so that a creation either sees the close or the close sees it (and aborts it).
   */
  private <T> CompletableFuture<T> creation(Supplier<T> work, Runnable undo) {
    inFlight.begin();
    if (closed.get()) {
      inFlight.end();
      undo.run();
      return CompletableFuture.failedFuture(closedException());
    }
    return counted(work);
  }

  /**
   * Runs a deletion or discard on the runtime's threads, counted as under way until it ends; accepted while closing (a
   * close deletes too). Refused only once the close is over: then what it would have removed is left for the next
   * start's recovery.
   */
  private <T> CompletableFuture<T> cleanup(String id, Supplier<T> work) {
    inFlight.begin();
    CompletableFuture<T> running = counted(work);
    if (running.isCompletedExceptionally()) {
      LOG.atWarn().setMessage("runtime closed; sandbox left for the next start's recovery").addKeyValue("instance", id)
          .log();
    }
    return running;
  }

  /** {@code work} on the executor, ending its count (already begun) when it ends or cannot start. */
  private <T> CompletableFuture<T> counted(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return work.get();
        } finally {
          inFlight.end();
        }
      }, executor);
    } catch (RejectedExecutionException e) {
      inFlight.end();
      return CompletableFuture.failedFuture(closedException());
    }
  }

  private static SandboxException closedException() {
    return new SandboxException(Reason.UNAVAILABLE, "runtime is closed");
  }

  /** Why a creation named {@code id} of {@code spec} cannot even begin; empty when it can. */
  private Optional<SandboxException> refusal(String id, SandboxSpec spec) {
    if (!INSTANCE_ID.matcher(id).matches()) {
      return Optional.of(new SandboxException(Reason.INVALID_SPEC,
          "instanceId must match " + INSTANCE_ID.pattern() + ", was '" + id + "'"));
    }
    if (spec.image().isBlank()) {
      return Optional.of(new SandboxException(Reason.INVALID_SPEC,
          "the containerd runtime needs spec.image (an OCI reference)"));
    }
    if (closed.get()) {
      return Optional.of(closedException());
    }
    return NetworkMode.refusal(settings.network(), spec.port()).map(m -> new SandboxException(Reason.INVALID_SPEC, m));
  }

  private SandboxException noPort() {
    return new SandboxException(Reason.NO_CAPACITY, "no free port in " + settings.portRangeStart() + ".."
        + settings.portRangeEnd());
  }

  private CreatedSandbox run(String id, SandboxSpec spec, Entry entry, int port) {
    long t0 = System.nanoTime();
    Phases phases = new Phases(t0);
    try {
      Task task = prepare(id, spec, entry, port, phases, false);
      return startPrepared(id, spec, entry, port, task, phases);
    } catch (RuntimeException | IOException e) {
      throw failed(id, spec, entry, e);
    }
  }

  /** The sandbox's task, created and not started, and where to reach it. */
  private record Task(Path logs, String probeHost) {}

  /** Everything of a creation before the task starts: image, snapshot, container, task, network. */
  private Task prepare(String id, SandboxSpec spec, Entry entry, int port, Phases phases, boolean poolMember)
      throws IOException {
    ImageConfig image = images.ensure(spec.image());
    phases.image();
    checkAborted(id, entry);
    Path logs = PrivateFiles.directory(PrivateFiles.directory(instancesDir()).resolve(id));
    entry.output = TaskOutput.open(logs, id, settings.logMaxBytes());
    // Until the container record references the new snapshot, only a lease keeps the garbage collector (which
    // runs after every deletion) from taking it.
    String lease = client.leases().create(io.pulse.worker.sandbox.containerd.api.CreateRequest.newBuilder()
        .setId("pulse-create-" + id + "-" + System.nanoTime())
        .putLabels("containerd.io/gc.expire", java.time.Instant.now().plusSeconds(600).toString())
        .build()).getLease().getId();
    List<Mount> rootfs;
    try {
      rootfs = client.snapshots(lease).prepare(PrepareSnapshotRequest.newBuilder()
          .setSnapshotter(settings.snapshotter()).setKey(id).setParent(image.chainId()).build()).getMountsList();
      createContainer(id, spec, image, entry, port, lease, poolMember);
    } finally {
      ignoreMissing(() -> client.leases().delete(io.pulse.worker.sandbox.containerd.api.DeleteRequest.newBuilder()
          .setId(lease).build()));
    }
    int pid = client.tasks().create(CreateTaskRequest.newBuilder().setContainerId(id).addAllRootfs(rootfs)
        .setStdout(TaskOutput.fifo(logs)).setStderr(TaskOutput.fifo(logs))
        .build()).getPid();
    entry.output.start();
    phases.create();
    String probeHost = "127.0.0.1";
    if (cni != null) {
      String host = cni.add(id, "/proc/" + pid + "/ns/net");
      probeHost = host;
      entry.sandbox = new Sandbox(entry.sandbox.instanceId(), spec.function(), spec.revision(), entry.sandbox.kind(),
          new HostPort(host, port), entry.sandbox.createdAtMs(), spec.resources(), SandboxState.STARTING)
          .withCreator(spec.creator());
    }
    phases.network();
    checkAborted(id, entry);
    return new Task(logs, probeHost);
  }

  /** Starts a prepared task, waits until it accepts connections and publishes the sandbox READY. */
  private CreatedSandbox startPrepared(String id, SandboxSpec spec, Entry entry, int port, Task task,
      Phases phases) {
    // Probed while containerd answers the Start: the process may listen before that answer is back (under load the
    // Start takes tens of ms), and a pool hit's time is mostly its start.
    CompletableFuture<Long> starting = CompletableFuture.supplyAsync(() -> {
      client.tasks().start(StartRequest.newBuilder().setContainerId(entry.containerId).build());
      return System.nanoTime();
    }, executor);
    long timeoutMs = spec.readinessTimeoutMs() > 0 ? spec.readinessTimeoutMs()
        : settings.defaultReadinessTimeoutMs();
    Readiness.Outcome outcome = Readiness.await(task.probeHost(), port, System.nanoTime() + timeoutMs * 1_000_000,
        () -> entry.aborted || entry.sandbox.state() == SandboxState.EXITED || starting.isCompletedExceptionally());
    if (outcome == Readiness.Outcome.READY && !starting.isDone()) {
      // It accepts connections, so it runs: ready now. The network namespace (or the allocated host port) is this
      // sandbox's alone, so nothing else can have answered. A Start that still fails is only logged; an exit
      // comes through the task events as always.
      phases.startedAt(System.nanoTime());
      starting.whenComplete((at, failure) -> {
        if (failure != null) {
          LOG.atWarn().setMessage("start answered with an error after the sandbox listened").addKeyValue("instance", id)
              .addKeyValue("error", failure.getMessage()).log();
        }
      });
    } else {
      phases.startedAt(startedAt(starting));
    }
    switch (outcome) {
      case READY -> { }
      case GAVE_UP -> {
        if (entry.aborted) {
          throw new SandboxException(Reason.ABORTED, "instance " + id + " was deleted while starting");
        }
        // What it printed last is likely why it failed: let the pump write it first.
        TaskOutput output = entry.output;
        if (output != null) {
          output.awaitDrained(DRAIN_TIMEOUT_MS);
        }
        throw new SandboxException(Reason.START_FAILED, "instance " + id + " exited before it was ready ("
            + Optional.ofNullable(entry.sandbox.exit()).map(SandboxExit::message).orElse("exited") + ")"
            + logTail(task.logs()));
      }
      case TIMED_OUT -> throw new SandboxException(Reason.NOT_READY_IN_TIME, "instance " + id
          + " did not accept connections on " + task.probeHost() + ":" + port + " within " + timeoutMs + " ms"
          + logTail(task.logs()));
    }
    phases.ready();
    Sandbox ready = entry.sandbox.withState(SandboxState.READY);
    entry.sandbox = ready;
    entry.settled.complete(null);
    Timings timings = phases.timings();
    // The stages of a start, to see where a pool hit's time goes: the Start call, readiness.
    LOG.atInfo().setMessage("sandbox ready").addKeyValue("instance", id).addKeyValue("function", spec.function())
        .addKeyValue("endpoint", ready.endpoint()).addKeyValue("ms", timings.totalMicros() / 1_000)
        .addKeyValue("start_us", timings.startMicros()).addKeyValue("ready_us", timings.readyMicros()).log();
    return new CreatedSandbox(ready, timings);
  }

  /** When the Start answered; its failure as thrown by the call itself. */
  private static long startedAt(CompletableFuture<Long> starting) {
    try {
      return starting.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Undoes a failed creation (or claim) of instance {@code id} and says why it failed. */
  private SandboxException failed(String id, SandboxSpec spec, Entry entry, Exception e) {
    SandboxException failure = translate(id, e);
    LOG.atWarn().setMessage("sandbox creation failed").addKeyValue("instance", id)
        .addKeyValue("function", spec.function()).addKeyValue("reason", failure.reason())
        .addKeyValue("error", failure.getMessage()).log();
    teardown(entry.containerId, entry.hostPort, SIGTERM, entry.output);
    sandboxes.remove(id, entry);
    entry.settled.complete(null);
    return failure;
  }

  /**
   * Prepares a sandbox of {@code spec} up to, not including, its start (see {@link Precreated}), under the container
   * id {@code containerId}. A failure leaves nothing behind.
   */
  @Override
  public CompletionStage<Precreated> precreate(String containerId, SandboxSpec spec) {
    Optional<SandboxException> refusal = refusal(containerId, spec);
    if (refusal.isPresent()) {
      return CompletableFuture.failedFuture(refusal.get());
    }
    Optional<SandboxPorts> allocated = allocatePorts(spec);
    if (allocated.isEmpty()) {
      return CompletableFuture.failedFuture(noPort());
    }
    int hostPort = allocated.get().hostPort();
    int port = allocated.get().port();
    // Never published: only carries the endpoint and the labels' values through prepare().
    Entry member = new Entry(new Sandbox(containerId, spec.function(), spec.revision(), SandboxKind.REGULAR,
        new HostPort(settings.advertiseHost(), port), System.currentTimeMillis(), spec.resources(),
        SandboxState.STARTING), hostPort);
    return creation(() -> {
      Phases phases = new Phases(System.nanoTime());
      try {
        Task task = prepare(containerId, spec, member, port, phases, true);
        Precreated made = new Precreated(containerId, spec, member.sandbox.endpoint(), task.probeHost(),
            member.hostPort, task.logs(), phases.timings());
        // Held before this creation ends: a close sweeps the members once no creation is under way.
        members.put(containerId, new Held(made, member.output));
        return made;
      } catch (RuntimeException | IOException e) {
        SandboxException failure = translate(containerId, e);
        LOG.atLevel(failure.reason() == Reason.ABORTED ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.WARN)
            .setMessage("pool member creation failed").addKeyValue("member", containerId)
            .addKeyValue("function", spec.function()).addKeyValue("reason", failure.reason())
            .addKeyValue("error", failure.getMessage()).log();
        teardown(containerId, member.hostPort, SIGKILL, member.output);
        throw failure;
      }
    }, () -> {
      if (hostPort != 0) {
        ports.release(hostPort);
      }
    });
  }

  /**
   * Makes a pool member instance {@code instanceId}: records the claim, starts its task and completes once it accepts
   * connections (timings: start and ready only), then relabels its container. A failure removes the member with all
   * it holds. Its process sees the member's id as {@code PULSE_INSTANCE_ID} (its environment was fixed at creation).
   */
  @Override
  public CompletionStage<CreatedSandbox> start(Precreated member, String instanceId, SandboxKind kind) {
    Optional<SandboxException> refusal = refusal(instanceId, member.spec());
    if (refusal.isPresent()) {
      return CompletableFuture.failedFuture(refusal.get());
    }
    SandboxSpec spec = member.spec();
    long createdAtMs = System.currentTimeMillis();
    Entry entry = new Entry(new Sandbox(instanceId, spec.function(), spec.revision(), kind, member.endpoint(),
        createdAtMs, spec.resources(), SandboxState.STARTING).withCreator(spec.creator()), member.hostPort(),
        member.containerId());
    if (sandboxes.putIfAbsent(instanceId, entry) != null) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.ALREADY_EXISTS,
          "instance " + instanceId + " exists"));
    }
    return creation(() -> {
      Phases phases = new Phases(System.nanoTime());
      SandboxLabels labels = new SandboxLabels(instanceId, spec.function(), spec.revision(), kind,
          member.endpoint().port(), settings.network(), createdAtMs, spec.resources(), spec.creator());
      // The member is the instance's from here: a failure below removes it with the instance.
      Held held = members.remove(member.containerId());
      entry.output = held == null ? null : held.output();
      CreatedSandbox created;
      try {
        checkAborted(instanceId, entry);
        // The claim is recorded beside the member (a local write) before it starts; containerd's labels follow the
        // answer (see ClaimRecord): a worker that dies in between is still told by recovery which instance runs.
        ClaimRecord.write(member.logs(), labels);
        created = startPrepared(instanceId, spec, entry, member.endpoint().port(),
            new Task(member.logs(), member.probeHost()), phases);
      } catch (RuntimeException | IOException e) {
        throw failed(instanceId, spec, entry, e);
      }
      try {
        relabels.execute(() -> relabel(member.containerId(), instanceId, labels));
      } catch (RejectedExecutionException e) { // closing: the next recovery relabels from the claim record
        LOG.atInfo().setMessage("claimed pool member left for recovery to relabel").addKeyValue("instance", instanceId)
            .addKeyValue("member", member.containerId()).log();
      }
      return created;
    }, () -> {
      sandboxes.remove(instanceId, entry);
      entry.settled.complete(null);
    });
  }

  /**
   * Gives a claimed member's container its instance's labels (and drops the pool label). A failure is only logged:
   * the claim record still names the instance, and recovery relabels.
   */
  private void relabel(String containerId, String instanceId, SandboxLabels labels) {
    try {
      client.containers().update(UpdateContainerRequest.newBuilder()
          .setContainer(Container.newBuilder().setId(containerId).putAllLabels(labels.toMap()))
          .setUpdateMask(FieldMask.newBuilder().addAllPaths(labels.toMap().keySet().stream()
              .map(k -> "labels." + k).toList()).addPaths("labels." + SandboxLabels.POOL_MEMBER))
          .build());
    } catch (StatusRuntimeException e) {
      if (!ContainerdClient.notFound(e)) { // not deleted meanwhile
        LOG.atWarn().setMessage("relabelling a claimed pool member failed; its claim record names the instance")
            .addKeyValue("instance", instanceId).addKeyValue("member", containerId)
            .addKeyValue("error", e.getStatus()).log();
      }
    }
  }

  @Override
  public String memberId(Precreated member) {
    return member.containerId();
  }

  @Override
  public long creationMicros(Precreated member) {
    return member.timings().totalMicros();
  }

  /**
   * Removes a pool member that will not be claimed, with all it holds; nothing when it is gone already (a close took
   * it, or a claim).
   */
  @Override
  public CompletionStage<Void> discard(Precreated member) {
    Held held = members.remove(member.containerId());
    if (held == null) {
      return CompletableFuture.completedFuture(null);
    }
    return cleanup(member.containerId(), () -> {
      teardown(member.containerId(), member.hostPort(), SIGKILL, held.output());
      return null;
    });
  }

  private void createContainer(String id, SandboxSpec spec, ImageConfig image, Entry entry, int port,
      String lease, boolean poolMember) {
    SandboxLabels labels = new SandboxLabels(id, spec.function(), spec.revision(), entry.sandbox.kind(), port,
        settings.network(), entry.sandbox.createdAtMs(), spec.resources(), spec.creator());
    SpecInputs inputs = inputs(id, spec, image, port);
    String specJson = RuntimeSpecs.build(inputs).encode();
    if (!spec.secrets().isEmpty()) {
      int[] user = RuntimeSpecs.user(inputs.user());
      try {
        secrets.write(id, spec.secrets(), user[0], user[1]);
      } catch (IOException e) {
        throw new SandboxException(Reason.UNAVAILABLE, "cannot write the secrets of " + id + ": " + e.getMessage(), e);
      }
    }
    client.containers(lease).create(CreateContainerRequest.newBuilder().setContainer(Container.newBuilder()
        .setId(id)
        .putAllLabels(labels.toMap())
        .putAllLabels(poolMember ? Map.of(SandboxLabels.POOL_MEMBER, "true") : Map.of())
        .setImage(image.name())
        .setRuntime(runtimeOf(settings))
        .setSpec(Any.newBuilder().setTypeUrl(RuntimeSpecs.TYPE_URL)
            .setValue(ByteString.copyFrom(specJson, StandardCharsets.UTF_8)))
        .setSnapshotter(settings.snapshotter())
        .setSnapshotKey(id)).build());
  }

  private static Container.Runtime runtimeOf(ContainerdSettings settings) {
    Container.Runtime.Builder runtime = Container.Runtime.newBuilder().setName(settings.runtimeName());
    settings.ociRuntime().shimOptions().ifPresent(runtime::setOptions);
    return runtime.build();
  }

  private SpecInputs inputs(String id, SandboxSpec spec, ImageConfig image, int port) {
    SandboxProcess process = SandboxProcess.of(id, spec, image, port);
    List<String> args = process.args();
    List<String> env = new ArrayList<>(process.env());
    if (!spec.secrets().isEmpty()) {
      env.add("PULSE_SECRETS_DIR=" + RuntimeSpecs.SECRETS_MOUNT);
      // An env secret sits in the container's OCI spec, which containerd keeps in its metadata (docs/security.md).
      spec.secrets().stream().filter(s -> s.env() != null)
          .forEach(s -> env.add(s.env() + "=" + new String(s.value(), StandardCharsets.UTF_8)));
    }
    try {
      return new SpecInputs(id, args, env, image.workingDir(), image.user(), cni != null, settings.readOnlyRootfs(),
          spec.resources().cpuMillis(), spec.resources().memoryMiB(), settings.pidsLimit(),
          cgroupsPath(id), Map.of("io.pulse.function", spec.function()),
          spec.secrets().isEmpty() ? null : secrets.dir(id).toString());
    } catch (IllegalArgumentException e) {
      throw new SandboxException(Reason.INVALID_SPEC, e.getMessage(), e);
    }
  }

  /** Stops a creation that was deleted, or whose runtime is closing, at one of its steps (it then undoes itself). */
  private void checkAborted(String id, Entry entry) {
    if (entry.aborted) {
      throw new SandboxException(Reason.ABORTED, "instance " + id + " was deleted while starting");
    }
    if (closed.get()) {
      throw new SandboxException(Reason.ABORTED, "runtime closed while " + id + " was being created");
    }
  }

  private SandboxException translate(String id, Exception e) {
    if (e instanceof SandboxException se) {
      return se;
    }
    if (e instanceof ImagePullException pe) {
      return new SandboxException(switch (pe.kind()) {
        case NOT_FOUND, BAD_REFERENCE, UNAUTHORIZED -> Reason.INVALID_SPEC;
        case UNAVAILABLE -> Reason.UNAVAILABLE;
      }, "image: " + pe.getMessage(), pe);
    }
    if (e instanceof StatusRuntimeException sre && ContainerdClient.unreachable(sre)) {
      return new SandboxException(Reason.UNAVAILABLE, "containerd at " + settings.socket() + " unreachable: "
          + sre.getStatus(), sre);
    }
    if (e instanceof CniBridge.CniException ce) {
      return new SandboxException(Reason.START_FAILED, "network: " + ce.getMessage(), ce);
    }
    return new SandboxException(Reason.START_FAILED, "instance " + id + ": " + e, e);
  }

  private static String logTail(Path logs) {
    String tail = LogTail.lastLines(logs.resolve(TaskOutput.LOG), LOG_TAIL_LINES);
    return tail.isEmpty() ? "" : "; last lines of its log:\n" + tail;
  }

  @Override
  public CompletionStage<Optional<List<LogLine>>> logs(String instanceId, LogQuery query) {
    Entry entry = sandboxes.get(instanceId);
    if (entry == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return Optional.of(LogFiles.read(instancesDir().resolve(entry.containerId).resolve(TaskOutput.LOG),
              query));
        } catch (IOException e) {
          throw new SandboxException(Reason.UNAVAILABLE, "cannot read the log of " + instanceId + ": "
              + e.getMessage(), e);
        }
      }, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new SandboxException(Reason.UNAVAILABLE, "runtime is closed"));
    }
  }

  private Path instancesDir() {
    return settings.dataDir().resolve("instances");
  }

  @Override
  public CompletionStage<Boolean> delete(String instanceId) {
    Entry entry = sandboxes.get(instanceId);
    if (entry == null) {
      return CompletableFuture.completedFuture(false);
    }
    if (entry.sandbox.state() == SandboxState.STARTING && !entry.settled.isDone()) {
      // The creating thread notices, tears down and fails with ABORTED.
      entry.aborted = true;
      return entry.settled.thenCompose(v -> sandboxes.containsKey(instanceId) ? delete(instanceId)
          : CompletableFuture.completedFuture(true));
    }
    if (!sandboxes.remove(instanceId, entry)) {
      return CompletableFuture.completedFuture(false);
    }
    return cleanup(instanceId, () -> {
      teardown(entry.containerId, entry.hostPort, SIGTERM, entry.output);
      return true;
    });
  }

  /**
   * Stops and removes everything of one sandbox (its containerd objects are named {@code id}; {@code hostPort} 0 =
   * none); each step tolerates its object being gone already. {@code SIGKILL} first for a task that never started.
   */
  private void teardown(String id, int hostPort, int firstSignal, @Nullable TaskOutput output) {
    try {
      stopTask(id, firstSignal);
      ignoreMissing(() -> client.tasks().delete(DeleteTaskRequest.newBuilder().setContainerId(id).build()));
      if (cni != null) {
        try {
          cni.del(id, "");
        } catch (CniBridge.CniException e) {
          LOG.atWarn().setMessage("CNI DEL failed").addKeyValue("instance", id).addKeyValue("error", e.getMessage())
              .log();
        }
      }
      ignoreMissing(() -> client.containers().delete(DeleteContainerRequest.newBuilder().setId(id).build()));
      ignoreMissing(() -> client.snapshots(null).remove(RemoveSnapshotRequest.newBuilder()
          .setSnapshotter(settings.snapshotter()).setKey(id).build()));
    } catch (StatusRuntimeException e) {
      LOG.atWarn().setMessage("sandbox teardown incomplete; recovery retries it").addKeyValue("instance", id)
          .addKeyValue("error", e.getStatus()).log();
    } finally {
      if (hostPort != 0) {
        ports.release(hostPort);
      }
      // Also when containerd failed us: a value must not outlive its sandbox's deletion.
      secrets.remove(id);
      oomKilled.remove(id);
      removeOutput(id, output);
    }
  }

  private void stopTask(String id, int firstSignal) {
    if (firstSignal == SIGKILL) {
      killHard(id);
      return;
    }
    try {
      client.tasks().kill(KillRequest.newBuilder().setContainerId(id).setSignal(SIGTERM).setAll(true).build());
      client.tasks(Math.max(1, settings.stopGraceMs())).wait(WaitRequest.newBuilder().setContainerId(id).build());
      return;
    } catch (StatusRuntimeException e) {
      if (ContainerdClient.notFound(e)) {
        return;
      }
      if (!timedOut(e) && e.getStatus().getCode() != io.grpc.Status.Code.FAILED_PRECONDITION) {
        throw e;
      }
    }
    killHard(id);
  }

  private void killHard(String id) {
    try {
      client.tasks().kill(KillRequest.newBuilder().setContainerId(id).setSignal(SIGKILL).setAll(true).build());
      client.tasks(10_000).wait(WaitRequest.newBuilder().setContainerId(id).build());
    } catch (StatusRuntimeException e) {
      if (!ContainerdClient.notFound(e) && e.getStatus().getCode() != io.grpc.Status.Code.FAILED_PRECONDITION) {
        throw e;
      }
    }
  }

  /**
   * Whether a wait ran out of time. containerd reports its own server-side deadline as UNKNOWN "context deadline
   * exceeded", not as DEADLINE_EXCEEDED; both mean the task outlived the grace period.
   */
  private static boolean timedOut(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED
        || description != null && description.contains("deadline exceeded");
  }

  /**
   * Its output log goes with the sandbox, as the process runtime's does. A pump still running ends when the shim
   * (gone with the task) closes the FIFO.
   */
  private void removeOutput(String id, @Nullable TaskOutput output) {
    if (output != null) {
      output.closeUnstarted();
    }
    try {
      PrivateFiles.deleteTree(instancesDir().resolve(id));
    } catch (IOException e) {
      LOG.atWarn().setMessage("cannot remove sandbox directory").addKeyValue("instance", id)
          .addKeyValue("error", e.getMessage()).log();
    }
  }

  private static void ignoreMissing(Supplier<?> call) {
    try {
      call.get();
    } catch (StatusRuntimeException e) {
      if (!ContainerdClient.notFound(e)) {
        throw e;
      }
    }
  }

  /** Host ports held by sandboxes and members now; for tests that look for leaks. */
  int portsInUse() {
    return ports.inUseCount();
  }

  @Override
  public List<Sandbox> list() {
    return sandboxes.values().stream().map(e -> e.sandbox).toList();
  }

  @Override
  public Optional<Sandbox> find(String instanceId) {
    return Optional.ofNullable(sandboxes.get(instanceId)).map(e -> e.sandbox);
  }

  @Override
  public CompletionStage<List<Sandbox>> recover() {
    return CompletableFuture.supplyAsync(this::recoverBlocking, executor);
  }

  private List<Sandbox> recoverBlocking() {
    try {
      LOG.atInfo().setMessage("containerd reached").addKeyValue("socket", settings.socket())
          .addKeyValue("version", client.version().getVersion()).addKeyValue("namespace", settings.namespace())
          .addKeyValue("network", settings.network()).log();
    } catch (StatusRuntimeException e) {
      throw new SandboxException(Reason.UNAVAILABLE, "containerd at " + settings.socket() + " unreachable: "
          + e.getStatus(), e);
    }
    if (cni != null) {
      try {
        cni.ensureMasquerade();
      } catch (CniBridge.CniException e) {
        throw new SandboxException(Reason.UNAVAILABLE, "network: " + e.getMessage(), e);
      }
    }
    events.start();
    Map<String, String> addresses = cni != null ? cni.holders() : Map.of();
    List<Sandbox> adopted = new ArrayList<>();
    Set<String> kept = new HashSet<>();
    for (Container container : client.containers().list(ListContainersRequest.getDefaultInstance())
        .getContainersList()) {
      String id = container.getId();
      Status status = taskStatus(id);
      boolean member = container.getLabelsMap().containsKey(SandboxLabels.POOL_MEMBER);
      // A pool member never started is removed (the pool makes a new one). A running one that still carries the pool
      // label was claimed: its claim record says which instance it is (the answer may have gone out before the
      // relabel); without one it was being claimed when the worker died and nobody was told of it. On CNI, a
      // container whose address was already released (a teardown interrupted after CNI DEL) cannot be reached: it
      // is removed too.
      Optional<SandboxLabels> labels = member
          ? ClaimRecord.read(instancesDir().resolve(id)).filter(l -> status == Status.RUNNING)
          : SandboxLabels.parse(container.getLabelsMap());
      String host = cni != null ? addresses.getOrDefault(id, "") : settings.advertiseHost();
      Optional<Sandbox> sandbox = labels.filter(l -> status == Status.RUNNING)
          .filter(l -> l.network().equals(settings.network()))
          .filter(l -> !host.isEmpty())
          .map(l -> new Sandbox(l.instanceId(), l.function(), l.revision(), l.kind(), new HostPort(host, l.port()),
              l.createdAtMs(), l.resources(), SandboxState.READY).withCreator(l.creator()))
          .filter(s -> Readiness.accepts(cni != null ? s.endpoint().host() : "127.0.0.1", s.endpoint().port()));
      // Read again, also to be dropped: a shim blocked on a full FIFO would hold up the task's deletion.
      Optional<TaskOutput> output = reattachOutput(id);
      if (sandbox.isPresent()) {
        int hostPort = cni == null ? sandbox.get().endpoint().port() : 0;
        if (hostPort != 0) {
          ports.claim(hostPort);
        }
        Entry entry = new Entry(sandbox.get(), hostPort, id);
        entry.output = output.orElse(null);
        if (member) {
          relabel(id, sandbox.get().instanceId(), labels.orElseThrow());
        }
        entry.settled.complete(null);
        sandboxes.put(sandbox.get().instanceId(), entry);
        adopted.add(sandbox.get());
        kept.add(id);
      } else {
        LOG.atInfo().setMessage("removing leftover container").addKeyValue("instance", id)
            .addKeyValue("task", status).log();
        teardown(id, 0, status == Status.RUNNING ? SIGTERM : SIGKILL, null);
      }
    }
    // Snapshots of creations that died before their container existed.
    client.snapshots(null).list(ListSnapshotsRequest.newBuilder().setSnapshotter(settings.snapshotter()).build())
        .forEachRemaining(page -> page.getInfoList().stream()
            .filter(info -> info.getKind() == io.pulse.worker.sandbox.containerd.api.Kind.ACTIVE)
            .filter(info -> !kept.contains(info.getName()))
            .forEach(info -> ignoreMissing(() -> client.snapshots(null).remove(RemoveSnapshotRequest.newBuilder()
                .setSnapshotter(settings.snapshotter()).setKey(info.getName()).build()))));
    // Secrets and logs of creations that died before their container existed (a deleted container took its own).
    secrets.removeAllBut(kept);
    removeOutputsBut(kept);
    if (cni != null) {
      addresses.keySet().stream().filter(id -> !kept.contains(id)).forEach(id -> {
        try {
          cni.del(id, "");
        } catch (CniBridge.CniException e) {
          LOG.atWarn().setMessage("could not release leftover address").addKeyValue("instance", id)
              .addKeyValue("error", e.getMessage()).log();
        }
      });
    }
    LOG.atInfo().setMessage("containerd runtime recovered").addKeyValue("adopted", adopted.size()).log();
    return adopted;
  }

  private Optional<TaskOutput> reattachOutput(String id) {
    try {
      return TaskOutput.reattach(instancesDir().resolve(id), id, settings.logMaxBytes());
    } catch (IOException e) {
      LOG.atWarn().setMessage("cannot read a recovered sandbox's output; its task waits once the pipe is full")
          .addKeyValue("instance", id).addKeyValue("error", e.getMessage()).log();
      return Optional.empty();
    }
  }

  private void removeOutputsBut(Set<String> kept) {
    if (!Files.isDirectory(instancesDir())) {
      return;
    }
    try (java.util.stream.Stream<Path> dirs = Files.list(instancesDir())) {
      dirs.map(dir -> dir.getFileName().toString()).filter(id -> !kept.contains(id)).toList()
          .forEach(id -> removeOutput(id, null));
    } catch (IOException e) {
      LOG.atWarn().setMessage("cannot list sandbox directories").addKeyValue("error", e.getMessage()).log();
    }
  }

  private Status taskStatus(String id) {
    try {
      return client.tasks().get(GetRequest.newBuilder().setContainerId(id).build()).getProcess().getStatus();
    } catch (StatusRuntimeException e) {
      if (ContainerdClient.notFound(e)) {
        return Status.UNKNOWN;
      }
      throw e;
    }
  }

  /**
   * Deletes every sandbox and removes every pool member nobody claimed, including those whose creation was under way
   * (each stops at its next step and undoes itself), and waits for the deletions and discards already under way; only
   * then lets go of containerd. Bounded by {@link ContainerdSettings#closeDeadlineMs()}: a containerd that does not
   * answer must not hold a stopping worker forever, so what is left then is logged and left for the next start's
   * {@link #recover()}, which removes members that never started.
   */
  @Override
  public CompletionStage<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return closedFuture;
    }
    // Host network state stays on purpose: the CNI bridge and the subnet's masquerading rule are shared by every
    // sandbox of the namespace, and sandboxes may outlive this runtime (a deletion below that fails while containerd
    // is away, a daemon killed before it gets here) to be re-adopted by the next worker's recover(), which needs
    // both to still route. The rule is one per subnet and re-added idempotently at start, so keeping it leaks
    // nothing over restarts; each deleted sandbox gives its own address and veth back.
    List<CompletableFuture<Boolean>> deletions = sandboxes.keySet().stream()
        .map(id -> delete(id).toCompletableFuture().exceptionally(t -> false)).toList();
    CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
        // Creations under way end (aborted, or made): a member made meanwhile is held by now, and swept next.
        .thenCompose(v -> inFlight.idle())
        .thenCompose(v -> CompletableFuture.allOf(members.values().stream()
            .map(held -> discard(held.member()).toCompletableFuture().exceptionally(t -> null))
            .toArray(CompletableFuture[]::new)))
        .thenCompose(v -> inFlight.idle())
        .orTimeout(settings.closeDeadlineMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
        // Not on the thread that completes this (a delayer's, on a timeout): closing the client blocks a little.
        .whenCompleteAsync((v, t) -> release(t), task -> Thread.ofVirtual().name("containerd-runtime-close")
            .start(task));
    return closedFuture;
  }

  /** The end of a close: logs what a timed-out one leaves, then lets go of containerd and the threads. */
  private void release(@Nullable Throwable failure) {
    if (failure != null) {
      LOG.atWarn().setMessage("runtime close ran out of time; what is left goes at the next start's recovery")
          .addKeyValue("deadlineMs", settings.closeDeadlineMs()).addKeyValue("underWay", inFlight.running())
          .addKeyValue("sandboxes", sandboxes.size()).addKeyValue("poolMembers", members.size())
          .addKeyValue("error", failure.toString()).log();
    }
    events.close();
    client.close();
    executor.shutdown();
    closedFuture.complete(null);
  }

  /** Marks sandboxes exited from events (and from a task list after the event stream broke). */
  private final class Listener implements TaskEvents.Listener {
    @Override
    public void exited(String containerId, int exitStatus) {
      Entry entry = ofContainer(containerId);
      if (entry == null) {
        return;
      }
      int memoryMiB = entry.sandbox.resources().memoryMiB();
      // The kernel's OOM killer sends SIGKILL; a SIGKILLed init is an OOM kill when containerd told us of one in
      // this sandbox or its cgroup counted one (the event may come after the exit, or not at all).
      boolean oom = exitStatus == 128 + SIGKILL && (oomKilled.contains(containerId)
          || CgroupMemory.oomKills(cgroupsPath(containerId)) > 0);
      SandboxExit exit = SandboxExit.classify(exitStatus, oom, memoryMiB, System.currentTimeMillis());
      entry.sandbox = entry.sandbox.exited(exit);
      LOG.atWarn().setMessage("sandbox exited").addKeyValue("instance", containerId)
          .addKeyValue("function", entry.sandbox.function()).addKeyValue("reason", exit.reason())
          .addKeyValue("exitStatus", exitStatus).addKeyValue("detail", exit.message()).log();
    }

    @Override
    public void oom(String containerId) {
      oomKilled.add(containerId);
      Entry entry = ofContainer(containerId);
      LOG.atWarn().setMessage("sandbox hit its memory limit; the kernel OOM-killed a process in it")
          .addKeyValue("instance", containerId)
          .addKeyValue("memoryMiB", entry == null ? 0 : entry.sandbox.resources().memoryMiB()).log();
      // The exit event may have come first: an init killed by SIGKILL was this OOM kill.
      if (entry != null) {
        SandboxExit exit = entry.sandbox.exit();
        if (exit != null && exit.reason() == SandboxExit.Reason.KILLED && exit.exitCode() == 128 + SIGKILL) {
          entry.sandbox = entry.sandbox.exited(SandboxExit.classify(exit.exitCode(), true,
              entry.sandbox.resources().memoryMiB(), exit.exitedAtMs()));
        }
      }
    }

    @Override
    public void resubscribed() {
      try {
        Map<String, Process> tasks = new java.util.HashMap<>();
        client.tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList()
            .forEach(t -> tasks.put(t.getContainerId(), t));
        sandboxes.forEach((id, entry) -> {
          Process task = tasks.get(entry.containerId);
          if (entry.sandbox.state() == SandboxState.READY && (task == null || task.getStatus() != Status.RUNNING)) {
            exited(entry.containerId, task == null ? -1 : task.getExitStatus());
          }
        });
      } catch (StatusRuntimeException e) {
        LOG.atWarn().setMessage("task reconciliation failed").addKeyValue("error", e.getStatus()).log();
      }
    }
  }

  /** The sandbox whose containerd objects are named {@code containerId}; null when none (or a pool member). */
  private @Nullable Entry ofContainer(String containerId) {
    Entry entry = sandboxes.get(containerId);
    if (entry != null && entry.containerId.equals(containerId)) {
      return entry;
    }
    // A claimed pool member: rare, and a scan of this worker's sandboxes is cheap.
    return sandboxes.values().stream().filter(e -> e.containerId.equals(containerId)).findFirst().orElse(null);
  }

  /** The cgroup every sandbox's processes run in (relative to the cgroup root of each controller). */
  private String cgroupsPath(String id) {
    return "/pulse-" + settings.namespace() + "/" + id;
  }

  /** Per-phase stopwatch of one creation. */
  private static final class Phases {
    private final long start;
    private long last;
    private long image;
    private long create;
    private long network;
    private long started;
    private long ready;

    Phases(long start) {
      this.start = start;
      this.last = start;
    }

    private long lap() {
      long now = System.nanoTime();
      long micros = (now - last) / 1_000;
      last = now;
      return micros;
    }

    void image() {
      image = lap();
    }

    void create() {
      create = lap();
    }

    void network() {
      network = lap();
    }

    /** The task started at {@code nanos} (a moment already past: readiness is probed meanwhile). */
    void startedAt(long nanos) {
      started = Math.max(0, (nanos - last) / 1_000);
      last = Math.max(last, nanos);
    }

    void ready() {
      ready = lap();
    }

    Timings timings() {
      return new Timings(image, create, network, started, ready, (System.nanoTime() - start) / 1_000);
    }
  }
}
