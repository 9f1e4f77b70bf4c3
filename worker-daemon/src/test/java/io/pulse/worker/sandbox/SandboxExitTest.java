package io.pulse.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.sandbox.SandboxExit.Reason;
import org.junit.jupiter.api.Test;

class SandboxExitTest {

  @Test
  void classify_oomWins_signalAbove128_elseExited() {
    assertThat(SandboxExit.classify(137, true, 32, 5)).isEqualTo(new SandboxExit(Reason.OOM_KILLED, 137, 5,
        "oom: killed by its cgroup's memory limit of 32 MiB"));
    assertThat(SandboxExit.classify(137, false, 32, 5).reason()).isEqualTo(Reason.KILLED);
    assertThat(SandboxExit.classify(143, false, 0, 5).message()).isEqualTo("killed by signal 15");
    assertThat(SandboxExit.classify(3, false, 0, 5)).isEqualTo(new SandboxExit(Reason.EXITED, 3, 5,
        "exit status 3"));
    assertThat(SandboxExit.classify(255, false, 0, 5).reason()).isEqualTo(Reason.EXITED);
    assertThat(SandboxExit.classify(-1, false, 0, 5).message()).contains("unknown");
  }
}
