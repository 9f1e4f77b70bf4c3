package io.pulse.cli.run;

import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.sandbox.containerd.pool.PoolBudget;
import io.pulse.worker.sandbox.fake.Distribution;
import io.pulse.worker.sandbox.fake.FakeProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The bench's {@link PulseLauncher}: a fresh all-in-one Pulse per run, on loopback, tuned by the setup. */
final class BenchLauncher implements PulseLauncher {

  private final ContainerdOptions containerd;
  /** The worker's sandbox ports; 0, 0: the worker's defaults. */
  private final int portStart;
  private final int portEnd;

  BenchLauncher() {
    this(ContainerdOptions.defaults(), 0, 0);
  }

  /**
   * {@code containerd}: options of the worker's containerd runtime (used when a setup asks for it); the worker's
   * sandboxes take host ports {@code portStart..portEnd}.
   */
  BenchLauncher(ContainerdOptions containerd, int portStart, int portEnd) {
    this.containerd = containerd;
    this.portStart = portStart;
    this.portEnd = portEnd;
  }

  /** {@code workerPorts}: the worker's sandbox port range {@code {first, last}} (null: the worker's default). */
  BenchLauncher(ContainerdOptions containerd, int @org.jspecify.annotations.Nullable [] workerPorts) {
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
        .withControlPlane(c -> c.withTickMs(setup.tickMs()).withStableWindowMs(setup.stableWindowMs())
            .withDrainMs(setup.drainMs())
            .withDefaultPolicy(policy)
            .withDualTrackPanic(setup.dualTrackPanic() != null ? setup.dualTrackPanic() : c.dualTrackPanic()))
        .withWorker(w -> {
          var worker = w.withCapacity(setup.cpuMillis(), setup.memoryMiB()).withFake(fake);
          return portStart > 0 ? worker.withPortRange(portStart, portEnd) : worker;
        });
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("pulse-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for the bench's Pulse", e);
    }
    AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, setup.runtime(), dataDir,
        "fn.localhost", options), Duration.ofSeconds(60), tuning);
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
      public void close() {
        pulse.close();
      }
    };
  }
}
