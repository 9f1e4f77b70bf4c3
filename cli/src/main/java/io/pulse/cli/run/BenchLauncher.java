package io.pulse.cli.run;

import io.pulse.bench.driver.DualTrackOverrides;
import io.pulse.bench.driver.LoggedProblems;
import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.sandbox.PrivateFiles;
import io.pulse.worker.sandbox.containerd.pool.PoolBudget;
import io.pulse.worker.sandbox.fake.Distribution;
import io.pulse.worker.sandbox.fake.FakeProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bench's {@link PulseLauncher}: a fresh all-in-one Pulse per run, on loopback, tuned by the setup. */
final class BenchLauncher implements PulseLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(BenchLauncher.class);

  private final ContainerdOptions containerd;
  /** The worker's sandbox ports; 0, 0: the worker's defaults. */
  private final int portStart;
  private final int portEnd;
  /** Where each run's data directory is made (and removed when the run closes). */
  private final Path dataRoot;

  BenchLauncher() {
    this(ContainerdOptions.defaults(), 0, 0);
  }

  /** Fake or process runtimes, with each run's data directory under {@code dataRoot}. */
  BenchLauncher(Path dataRoot) {
    this(ContainerdOptions.defaults(), 0, 0, dataRoot);
  }

  /**
   * {@code containerd}: options of the worker's containerd runtime (used when a setup asks for it); the worker's
   * sandboxes take host ports {@code portStart..portEnd}.
   */
  BenchLauncher(ContainerdOptions containerd, int portStart, int portEnd) {
    this(containerd, portStart, portEnd, Path.of(System.getProperty("java.io.tmpdir")));
  }

  private BenchLauncher(ContainerdOptions containerd, int portStart, int portEnd, Path dataRoot) {
    this.containerd = containerd;
    this.portStart = portStart;
    this.portEnd = portEnd;
    this.dataRoot = dataRoot;
  }

  /** {@code workerPorts}: the worker's sandbox port range {@code {first, last}} (null: the worker's default). */
  BenchLauncher(ContainerdOptions containerd, int @Nullable [] workerPorts) {
    this(containerd, workerPorts == null ? 0 : workerPorts[0], workerPorts == null ? 0 : workerPorts[1]);
  }

  @Override
  public RunningPulse start(PulseSetup setup) {
    ScalingPolicy policy = ScalingPolicy.fromLabel(setup.policy()).orElseThrow(() -> new IllegalArgumentException(
        "--policies must name " + ScalingPolicy.labels() + ", was '" + setup.policy() + "'"));
    FakeProfile fake = FakeProfile.DEFAULT
        .withColdStartMs(Distribution.parse("--fake-cold-start-ms", setup.fakeColdStart()))
        .withServeHttp(setup.serveHttp()).withSeed(setup.seed())
        .withPoolStartMs(Distribution.parse("--fake-pool-start-ms", setup.fakePoolStart()));
    // A pool budget applies to whichever runtime runs (the fake one simulates containerd's pools).
    ContainerdOptions options = setup.poolMembers() > 0
        ? containerd.withPool(new PoolBudget(setup.poolMembers(), setup.poolMemoryMiB())) : containerd;
    AllInOne.Tuning tuning = AllInOne.Tuning.NONE
        .withControlPlane(c -> withDualTrack(c.withTickMs(setup.tickMs()).withStableWindowMs(setup.stableWindowMs())
            .withDrainMs(setup.drainMs())
            .withDefaultPolicy(policy), setup.dualTrack()))
        .withWorker(w -> {
          var worker = w.withCapacity(setup.cpuMillis(), setup.memoryMiB()).withFake(fake);
          return portStart > 0 ? worker.withPortRange(portStart, portEnd) : worker;
        });
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory(dataRoot, "pulse-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for the bench's Pulse", e);
    }
    LogProblemCounter problems = LogProblemCounter.attach();
    AllInOne pulse;
    try {
      pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, setup.runtime(), dataDir, "fn.localhost",
          options), Duration.ofSeconds(60), tuning);
    } catch (RuntimeException e) {
      problems.close();
      removeQuietly(dataDir);
      throw e;
    }
    return new RunningPulse() {
      @Override
      public String apiUrl() {
        return pulse.apiUrl();
      }

      @Override
      public String gatewayUrl() {
        return pulse.gatewayUrl();
      }

      @Override
      public String apiToken() {
        return pulse.apiToken();
      }

      @Override
      public String controlPlaneGrpc() {
        return "127.0.0.1:" + pulse.controlPlane().grpcPort();
      }

      @Override
      public LoggedProblems loggedProblems() {
        return problems.snapshot();
      }

      @Override
      public void close() {
        pulse.close();
        problems.close();
        removeQuietly(dataDir); // a replay runs one Pulse per policy and window: each left its store behind
      }
    };
  }

  private static void removeQuietly(Path dataDir) {
    try {
      PrivateFiles.deleteTree(dataDir);
    } catch (IOException e) {
      LOG.atWarn().setMessage("bench data directory not removed").addKeyValue("dir", dataDir)
          .addKeyValue("error", e.toString()).log();
    }
  }

  /** {@code config} with the dual-track settings a run sets; what the run leaves null stays as configured. */
  static ControlPlaneConfig withDualTrack(ControlPlaneConfig config, DualTrackOverrides run) {
    ControlPlaneConfig result = set(config, run.panic(), ControlPlaneConfig::withDualTrackPanic);
    result = set(result, run.idleKeepAlive(), ControlPlaneConfig::withDualTrackIdleKeepAlive);
    result = set(result, run.holdMinColdShare(), ControlPlaneConfig::withDualTrackHoldMinColdShare);
    result = set(result, run.fleetSlack(), ControlPlaneConfig::withDualTrackFleetSlack);
    return set(result, run.holdBudgetMiB(), ControlPlaneConfig::withDualTrackHoldBudgetMiB);
  }

  private static <T> ControlPlaneConfig set(ControlPlaneConfig config, @Nullable T value,
      BiFunction<ControlPlaneConfig, T, ControlPlaneConfig> with) {
    return value == null ? config : with.apply(config, value);
  }
}
