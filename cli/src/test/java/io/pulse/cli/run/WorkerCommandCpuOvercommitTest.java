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

  @Test
  void logMaxBytes_defaultsToTheWorkersDefault_andTakesAValue() {
    assertThat(parse().logMaxBytes).isEqualTo(WorkerConfig.defaults().logMaxBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(parse("--log-max-bytes", "1048576").logMaxBytes).isEqualTo(1_048_576L);
  }
}
