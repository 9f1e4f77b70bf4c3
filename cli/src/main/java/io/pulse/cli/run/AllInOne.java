package io.pulse.cli.run;

import io.pulse.common.admin.Readiness;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.ControlPlane;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.cluster.ReplicationConfig;
import io.pulse.controlplane.security.ApiTokens;
import io.pulse.dataplane.DataPlane;
import io.pulse.dataplane.DataPlaneConfig;
import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.WorkerConfig;
import io.pulse.worker.WorkerDaemon;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One control-plane replica, one worker daemon and one data plane in this JVM, wired over the same gRPC interfaces
 * (on loopback) they use as separate processes. Internal gRPC ports are picked free at start, unless the tuning
 * binds the control plane's (what {@code pulse up --grpc-port} does, so that other processes can join).
 */
public final class AllInOne implements AutoCloseable {

  /**
   * What to start.
   *
   * @param bindHost host every listener binds (REST, gateway, internal gRPC)
   * @param restPort control-plane REST API, also /metrics, /healthz, /readyz for all components (0: pick one)
   * @param httpPort data-plane gateway (0: pick one)
   * @param runtime worker sandbox runtime: {@code process}, {@code fake} or {@code containerd}
   * @param dataDir the worker's instance directories and logs, and the function registry (RocksDB, in
   *     {@code control-plane/}): functions survive a restart on the same directory, their instances do not
   * @param domain gateway routes {@code Host: {fn}.{domain}}
   * @param containerd options of the containerd runtime (socket, registries, network)
   */
  public record Settings(String bindHost, int restPort, int httpPort, String runtime, Path dataDir, String domain,
      ContainerdOptions containerd) {

    /** Settings with the containerd runtime's defaults (used when {@code runtime} is not containerd). */
    public Settings(String bindHost, int restPort, int httpPort, String runtime, Path dataDir, String domain) {
      this(bindHost, restPort, httpPort, runtime, dataDir, domain, ContainerdOptions.defaults());
    }
  }

  private final Components components;
  private final ControlPlane controlPlane;
  private final WorkerDaemon worker;
  private final DataPlane dataPlane;
  private final Settings settings;
  private final String apiToken;
  private final String apiScheme;
  private final String gatewayScheme;

  private AllInOne(Components components, Settings settings, ControlPlane controlPlane, WorkerDaemon worker,
      DataPlane dataPlane, String apiToken, String apiScheme, String gatewayScheme) {
    this.apiToken = apiToken;
    this.apiScheme = apiScheme;
    this.gatewayScheme = gatewayScheme;
    this.components = components;
    this.settings = settings;
    this.controlPlane = controlPlane;
    this.worker = worker;
    this.dataPlane = dataPlane;
  }

  /**
   * Adjustments to each component's configuration on top of what {@link Settings} says (tests and bench: policies,
   * windows, fake-runtime profiles, capacities).
   */
  public record Tuning(UnaryOperator<ControlPlaneConfig> controlPlane, UnaryOperator<WorkerConfig> worker,
      UnaryOperator<DataPlaneConfig> dataPlane) {

    public static final Tuning NONE = new Tuning(c -> c, c -> c, c -> c);

    public Tuning withControlPlane(UnaryOperator<ControlPlaneConfig> value) {
      return new Tuning(value, worker, dataPlane);
    }

    public Tuning withWorker(UnaryOperator<WorkerConfig> value) {
      return new Tuning(controlPlane, value, dataPlane);
    }

    public Tuning withDataPlane(UnaryOperator<DataPlaneConfig> value) {
      return new Tuning(controlPlane, worker, value);
    }
  }

  /** Starts everything and waits until every component reports ready (or fails after {@code readyTimeout}). */
  public static AllInOne start(Settings settings, Duration readyTimeout) {
    return start(settings, readyTimeout, Tuning.NONE);
  }

  /** As {@link #start(Settings, Duration)}, with each component's configuration adjusted by {@code tuning}. */
  public static AllInOne start(Settings settings, Duration readyTimeout, Tuning tuning) {
    Components components = Components.create();
    ControlPlane controlPlane = null;
    WorkerDaemon worker = null;
    DataPlane dataPlane = null;
    try {
      String host = settings.bindHost();
      ControlPlaneConfig tuned = tuning.controlPlane().apply(ControlPlaneConfig.defaults()
          .withRestBind(new HostPort(host, settings.restPort()))
          .withGrpcBind(new HostPort(host, 0)));
      // The REST API's token is always known here (apiToken()): the one given, or a fresh one for this run.
      ControlPlaneConfig controlPlaneConfig = tuned.security().token() != null
          || tuned.security().tokenFile() != null ? tuned
          : tuned.withSecurity(tuned.security().withToken(ApiTokens.generate()));
      // A lone replica with a durable registry, like `pulse control-plane --data-dir`. It advertises where it
      // listens: GetLeader's answer is what a bridge or worker of another process dials next.
      controlPlane = ControlPlane.start(components.vertx(), controlPlaneConfig,
          ReplicationConfig.single().withAdvertiseHost(loopbackFor(host)).withDataDir(registryDir(settings.dataDir())),
          components.metrics(),
          components.readiness()).await();
      List<HostPort> seeds = List.of(new HostPort(loopbackFor(host), controlPlane.grpcPort()));
      WorkerConfig workerConfig = tuning.worker().apply(WorkerConfig.defaults()
          .withGrpcBind(new HostPort(host, 0))
          .withAdvertiseHost(loopbackFor(host))
          .withControlPlane(seeds)
          .withRuntime(settings.runtime())
          .withDataDir(settings.dataDir()));
      worker = WorkerDaemon.start(components.vertx(), workerConfig, settings.containerd(),
          components.metrics(), components.readiness()).await();
      DataPlaneConfig dataPlaneConfig = tuning.dataPlane().apply(DataPlaneConfig.defaults()
          .withHttpBind(new HostPort(host, settings.httpPort()))
          .withDomain(settings.domain())
          .withControlPlane(seeds));
      dataPlane = DataPlane.start(components.vertx(), dataPlaneConfig,
          components.metrics(), components.readiness()).await();
      String token = controlPlaneConfig.security().token() != null ? controlPlaneConfig.security().token()
          : ApiTokens.read(java.util.Objects.requireNonNull(controlPlaneConfig.security().tokenFile()));
      AllInOne started = new AllInOne(components, settings, controlPlane, worker, dataPlane, token,
          controlPlaneConfig.security().rest().scheme(), dataPlaneConfig.gateway().scheme());
      started.awaitReady(readyTimeout);
      return started;
    } catch (RuntimeException e) {
      closeQuietly(components, dataPlane, worker, controlPlane);
      throw e;
    }
  }

  /** Where the control plane keeps its registry under {@code dataDir}, beside the worker's {@code instances/}. */
  static Path registryDir(Path dataDir) {
    return dataDir.resolve("control-plane");
  }

  /** Loopback address to reach a listener bound on {@code host} from this machine. */
  private static String loopbackFor(String host) {
    return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Readiness readiness = components.readiness();
    List<String> reasons = readiness.notReadyReasons();
    while (!reasons.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Pulse did not become ready within " + timeout + ": " + reasons);
      }
      try {
        Thread.sleep(20); // polling an in-memory check; nothing else to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for readiness");
      }
      reasons = readiness.notReadyReasons();
    }
  }

  public String apiUrl() {
    return apiScheme + "://" + loopbackFor(settings.bindHost()) + ":" + controlPlane.restPort();
  }

  public String gatewayUrl() {
    return gatewayScheme + "://" + loopbackFor(settings.bindHost()) + ":" + dataPlane.httpPort();
  }

  /** The REST API's bearer token (clients send {@code Authorization: Bearer <token>}). */
  public String apiToken() {
    return apiToken;
  }

  public int restPort() {
    return controlPlane.restPort();
  }

  public int httpPort() {
    return dataPlane.httpPort();
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  /** The worker daemon (tests look at what it runs). */
  public WorkerDaemon worker() {
    return worker;
  }

  /**
   * Stops the gateway first (no new work), then the worker's heartbeats, then the control plane (which deletes its
   * instances), then the worker (which kills whatever is left), then Vert.x.
   */
  @Override
  public void close() {
    closeQuietly(components, dataPlane, worker, controlPlane);
  }

  private static void closeQuietly(Components components, @Nullable DataPlane dataPlane,
      @Nullable WorkerDaemon worker, @Nullable ControlPlane controlPlane) {
    if (dataPlane != null) {
      awaitQuietly(dataPlane.close());
    }
    if (worker != null && controlPlane != null) {
      awaitQuietly(worker.leaveControlPlane()); // else its heartbeats fail, and warn, while the control plane stops
    }
    if (controlPlane != null) {
      awaitQuietly(controlPlane.close());
    }
    if (worker != null) {
      awaitQuietly(worker.close());
    }
    awaitQuietly(components.vertx().close());
  }

  private static void awaitQuietly(Future<Void> future) {
    try {
      future.await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
      org.slf4j.LoggerFactory.getLogger(AllInOne.class).warn("shutdown step failed: {}", e.toString());
    }
  }
}
