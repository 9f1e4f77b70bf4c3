package io.pulse.controlplane.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The control plane's coordinator, planner and applier under a seeded fault simulation (kafka's
 * RaftEventSimulationTest is the model). A few hundred seeds by default; {@code -Dpulse.sim.seeds=5000} runs more,
 * {@code -Dpulse.sim.seed=N} replays the one a failure printed.
 */
class ControlPlaneSimulationTest {

  private static final int DEFAULT_SEEDS = 300;
  private final Logger lifecycleLog = (Logger) LoggerFactory.getLogger("io.pulse.controlplane.instances");
  private Level before;

  @BeforeEach
  void quiet() {
    // Thousands of simulated creations and deaths per seed: the lifecycle's logs would cost more than the run.
    before = lifecycleLog.getLevel();
    lifecycleLog.setLevel(Level.OFF);
  }

  @AfterEach
  void restore() {
    lifecycleLog.setLevel(before);
  }

  @Test
  void simulation_faultsThenHeal_convergesWithEveryInvariant() {
    String replay = System.getProperty("pulse.sim.seed");
    if (replay != null) {
      ControlPlaneSimulation simulation = new ControlPlaneSimulation(Long.parseLong(replay));
      simulation.run();
      System.out.printf("control-plane simulation: seed %s replayed, %d events, %d terms%n", replay,
          simulation.scheduler.executed(), simulation.terms);
      return;
    }
    int seeds = Integer.getInteger("pulse.sim.seeds", DEFAULT_SEEDS);
    SplittableRandom seedSource = new SplittableRandom(Long.getLong("pulse.sim.firstSeed", 1));
    long events = 0;
    long terms = 0;
    long refused = 0;
    long restarts = 0;
    for (int i = 0; i < seeds; i++) {
      ControlPlaneSimulation simulation = new ControlPlaneSimulation(seedSource.nextLong());
      simulation.run();
      events += simulation.scheduler.executed();
      terms += simulation.terms;
      refused += simulation.refused;
      restarts += simulation.workerRestarts;
    }
    System.out.printf("control-plane simulation: %d seeds, %d events, %d terms, %d stale commands refused, "
        + "%d worker restarts%n", seeds, events, terms, refused, restarts);
    assertThat(terms).as("leader changes exercised").isGreaterThan(seeds);
    assertThat(refused).as("stale commands fenced").isPositive();
  }

  @Test
  void simulation_sameSeed_replaysTheSameRun() {
    ControlPlaneSimulation first = new ControlPlaneSimulation(42);
    first.run();
    ControlPlaneSimulation again = new ControlPlaneSimulation(42);
    again.run();
    assertThat(again.scheduler.executed()).isEqualTo(first.scheduler.executed());
    assertThat(again.scheduler.now()).isEqualTo(first.scheduler.now());
    assertThat(again.terms).isEqualTo(first.terms);
  }
}
