package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.WorkerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WorkerCommandCpuOvercommitTest {

  private static WorkerCommand parse(String... args) {
    WorkerCommand command = new WorkerCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void cpuOvercommit_defaultsToTheWorkersDefault_andTakesAValue() {
    assertThat(parse().cpuOvercommit).isEqualTo(WorkerConfig.DEFAULT_CPU_OVERCOMMIT).isEqualTo(4.0);
    assertThat(parse("--cpu-overcommit", "1.0").cpuOvercommit).isEqualTo(1.0);
    assertThat(parse("--cpu-overcommit=2.5").cpuOvercommit).isEqualTo(2.5);
  }
}
