package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.driver.DualTrackOverrides;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.controlplane.ControlPlaneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real all-in-one Pulse on the fake runtime, started and closed as a replay does once per policy and window. */
class BenchLauncherTest {

  @Test
  void aClosedRun_leavesNoDataDirectoryBehind(@TempDir Path root) throws IOException {
    BenchLauncher launcher = new BenchLauncher(root);
    PulseSetup setup = new PulseSetup("fake", "kpa", "0", 1, 500, 2_000, 4_000, 4_096, true, 200);

    try (RunningPulse pulse = launcher.start(setup)) {
      assertThat(pulse.apiUrl()).startsWith("http://127.0.0.1:");
      List<Path> running = list(root);
      assertThat(running).hasSize(1);
      assertThat(running.getFirst().resolve("control-plane")).isDirectory(); // the store lives there while it runs
    }

    assertThat(list(root)).isEmpty();
  }

  @Test
  void dualTrackOverrides_setWhatTheRunNames_andKeepTheRestAsConfigured() {
    ControlPlaneConfig configured = ControlPlaneConfig.defaults().withDualTrackFleetSlack(0.5);

    assertThat(BenchLauncher.withDualTrack(configured, DualTrackOverrides.NONE)).isEqualTo(configured);
    ControlPlaneConfig run = BenchLauncher.withDualTrack(configured,
        new DualTrackOverrides(true, 3, 0.0, null, 128));
    assertThat(run).isEqualTo(configured.withDualTrackPanic(true).withDualTrackIdleKeepAlive(3)
        .withDualTrackHoldMinColdShare(0.0).withDualTrackHoldBudgetMiB(128));
    assertThat(run.dualTrackFleetSlack()).isEqualTo(0.5);
    assertThat(BenchLauncher.withDualTrack(configured, DualTrackOverrides.NONE.withFleetSlack(0.0))
        .dualTrackFleetSlack()).isZero();
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
