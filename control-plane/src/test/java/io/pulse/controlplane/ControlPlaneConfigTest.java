package io.pulse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.net.HostPort;
import io.pulse.common.testing.RecordWithers;
import io.pulse.controlplane.autoscale.IdleKeepAlive;
import org.junit.jupiter.api.Test;

class ControlPlaneConfigTest {

  @Test
  void defaults_matchTheBrief() {
    ControlPlaneConfig config = ControlPlaneConfig.defaults();

    assertThat(config.restBind()).isEqualTo(new HostPort("0.0.0.0", 9090));
    assertThat(config.grpcBind()).isEqualTo(new HostPort("0.0.0.0", 9091));
    assertThat(config.tickMs()).isEqualTo(2000);
    assertThat(config.heartbeatIntervalMs()).isEqualTo(1000);
    assertThat(config.workerTimeoutMs()).isEqualTo(5000);
    assertThat(config.drainMs()).isEqualTo(1000);
    assertThat(config.kpa().panicWindowMillis()).isEqualTo(6000);
    assertThat(config.createTimeoutMs()).isEqualTo(60_000);
    assertThat(config.createRetryBackoffMs()).isEqualTo(1000);
  }

  @Test
  void idleKeepAlive_holdsUpToFiveKeepAlivesByDefault_andOutOfRangeNamesTheOption() {
    assertThat(ControlPlaneConfig.defaults().dualTrackIdleKeepAlive()).isEqualTo(5);
    assertThat(ControlPlaneConfig.defaults().withDualTrackIdleKeepAlive(1).dualTrackIdleKeepAlive()).isEqualTo(1);
    assertThatThrownBy(() -> ControlPlaneConfig.defaults().withDualTrackIdleKeepAlive(0))
        .hasStackTraceContaining("--dual-track-idle-keep-alive) must be 1..100, was 0");
  }

  @Test
  void holdMinColdShare_isThreeTenthsByDefault_goesIntoTheRule_andOutOfRangeNamesTheOption() {
    assertThat(ControlPlaneConfig.defaults().dualTrackIdleKeepAliveRule()).isEqualTo(new IdleKeepAlive(5, 0.3, 256));
    ControlPlaneConfig config = ControlPlaneConfig.defaults().withDualTrackHoldMinColdShare(0);
    assertThat(config.dualTrackIdleKeepAliveRule()).isEqualTo(new IdleKeepAlive(5, 0, 256));
    assertThatThrownBy(() -> ControlPlaneConfig.defaults().withDualTrackHoldMinColdShare(-1))
        .hasStackTraceContaining("--dual-track-hold-min-cold-share) must be 0..100, was -1.0");
  }

  @Test
  void dualTrackKpa_isTheKpaWithoutPanic_unlessAskedToPanic() {
    ControlPlaneConfig config = ControlPlaneConfig.defaults();

    assertThat(config.dualTrackPanic()).isFalse();
    assertThat(config.dualTrackKpa()).isEqualTo(config.kpa().withoutPanic().withFleetSlack(0.8));
    assertThat(config.dualTrackKpa().panicThreshold()).isInfinite();
    assertThat(config.withDualTrackPanic(true).dualTrackKpa()).isEqualTo(config.kpa().withFleetSlack(0.8));
  }

  @Test
  void holdBudget_is256MiBByDefault_zeroTurnsItOff_reachesTheRule_andANegativeOneNamesTheOption() {
    ControlPlaneConfig config = ControlPlaneConfig.defaults();

    assertThat(config.dualTrackIdleKeepAliveRule().budgetMiB()).isEqualTo(256);
    assertThat(config.withDualTrackHoldBudgetMiB(0).dualTrackIdleKeepAliveRule())
        .isEqualTo(new IdleKeepAlive(5, 0.3, 0));
    assertThat(config.withDualTrackHoldBudgetMiB(128).dualTrackIdleKeepAliveRule())
        .isEqualTo(new IdleKeepAlive(5, 0.3, 128));
    assertThatThrownBy(() -> config.withDualTrackHoldBudgetMiB(-1))
        .hasStackTraceContaining("--dual-track-hold-budget-mib) must be >= 0, was -1");
  }

  @Test
  void fleetSlack_isFourFifthsOfAnInstanceForDualTrackOnly_andOutOfRangeNamesTheOption() {
    ControlPlaneConfig config = ControlPlaneConfig.defaults();

    assertThat(config.dualTrackFleetSlack()).isEqualTo(0.8);
    assertThat(config.kpa().fleetSlack()).isZero();
    assertThat(config.withDualTrackFleetSlack(0).dualTrackKpa()).isEqualTo(config.kpa().withoutPanic());
    assertThatThrownBy(() -> config.withDualTrackFleetSlack(1))
        .hasStackTraceContaining("--dual-track-fleet-slack) must be in [0, 1), was 1.0");
  }

  @Test
  void withers_changeOneField() {
    ControlPlaneConfig config = ControlPlaneConfig.defaults().withTickMs(50).withReplicaId("cp-7");

    assertThat(config.tickMs()).isEqualTo(50);
    assertThat(config.replicaId()).isEqualTo("cp-7");
    assertThat(config.withTickMs(2000)).isEqualTo(ControlPlaneConfig.defaults().withReplicaId("cp-7"));
  }

  @Test
  void badValues_areRejectedNamingTheField() {
    ControlPlaneConfig d = ControlPlaneConfig.defaults();
    assertThatThrownBy(() -> d.withTickMs(0)).hasMessageContaining("tickMs");
    assertThatThrownBy(() -> d.withReplicaId(" ")).hasMessageContaining("replicaId");
    assertThatThrownBy(() -> d.withWorkerTimeoutMs(500)).hasMessageContaining("workerTimeoutMs");
    assertThatThrownBy(() -> d.withDrainMs(-1)).hasMessageContaining("drainMs");
    assertThatThrownBy(() -> d.withPanicWindowPercent(0)).hasMessageContaining("panicWindowPercent");
    assertThatThrownBy(() -> d.withPanicThreshold(0)).hasMessageContaining("panicThreshold");
    assertThatThrownBy(() -> d.withMaxScaleDownRate(1)).hasMessageContaining("maxScaleDownRate");
    assertThatThrownBy(() -> d.withStableWindowMs(0)).hasMessageContaining("stableWindowMs");
    assertThatThrownBy(() -> d.withCreateTimeoutMs(0)).hasMessageContaining("createTimeoutMs");
    assertThatThrownBy(() -> d.withReportIntervalMs(0)).hasMessageContaining("reportIntervalMs");
  }

  @Test
  void withers_eachSetTheirOwnComponent() {
    // Withers copy through Records.with and a component name: a typo or a crossed name fails here.
    assertThat(RecordWithers.check(ControlPlaneConfig.defaults())).isNotEmpty();
  }
}
