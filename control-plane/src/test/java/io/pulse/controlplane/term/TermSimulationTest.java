package io.pulse.controlplane.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The term machine under a seeded fault simulation (kafka's RaftEventSimulationTest is the model). A few hundred seeds
 * by default; {@code -Dpulse.sim.seeds=5000} runs more, {@code -Dpulse.sim.seed=N} replays the one a failure printed.
 */
class TermSimulationTest {

  private static final int DEFAULT_SEEDS = 300;

  @Test
  void simulation_faultsThenHeal_oneTermActsAtATimeAndALeaderEmerges() {
    String replay = System.getProperty("pulse.sim.seed");
    if (replay != null) {
      TermSimulation simulation = new TermSimulation(Long.parseLong(replay));
      simulation.run();
      System.out.printf("term simulation: seed %s replayed, %d events, %d terms begun%n", replay,
          simulation.scheduler.executed(), simulation.begins);
      return;
    }
    int seeds = Integer.getInteger("pulse.sim.seeds", DEFAULT_SEEDS);
    long first = Long.getLong("pulse.sim.firstSeed", 1);
    SplittableRandom seedSource = new SplittableRandom(first);
    long events = 0;
    long begins = 0;
    long refused = 0;
    long maxOverlap = 0;
    for (int i = 0; i < seeds; i++) {
      TermSimulation simulation = new TermSimulation(seedSource.nextLong());
      simulation.run();
      events += simulation.scheduler.executed();
      begins += simulation.begins;
      refused += simulation.refused;
      maxOverlap = Math.max(maxOverlap, simulation.maxOverlapMs);
    }
    System.out.printf("term simulation: %d seeds, %d events, %d terms begun, %d stale commands refused, "
        + "longest overlap of two terms %d ms%n", seeds, events, begins, refused, maxOverlap);
    assertThat(begins).as("failovers exercised").isGreaterThan(seeds);
  }

  @Test
  void simulation_sameSeed_replaysTheSameRun() {
    TermSimulation first = new TermSimulation(42);
    first.run();
    TermSimulation again = new TermSimulation(42);
    again.run();
    assertThat(again.scheduler.executed()).isEqualTo(first.scheduler.executed());
    assertThat(again.scheduler.now()).isEqualTo(first.scheduler.now());
    assertThat(again.begins).isEqualTo(first.begins);
  }

  /**
   * Found by the simulation: cp2 claims 16939 (record on cp1, cp2), the network splits cp1 off, cp2 restarts and
   * joins cp0 whose clock runs 300 ms behind: cp0 claimed 16926 unless the epoch cp2 announces on joining counts.
   */
  @Test
  void simulation_claimerRestartsWhileTheOtherHolderIsAway_noTermBeginsBelowIt() {
    new TermSimulation(-1408286705195058990L).run();
  }
}
