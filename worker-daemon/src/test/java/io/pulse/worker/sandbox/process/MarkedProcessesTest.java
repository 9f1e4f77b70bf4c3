package io.pulse.worker.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MarkedProcessesTest {

  private static final byte[] MARKER = "PULSE_INSTANCE_ID=a-1\0".getBytes(StandardCharsets.UTF_8);

  @Test
  void carries_matchesWholeEntriesOnly() {
    assertThat(MarkedProcesses.carries(environ("PATH=/bin\0PULSE_INSTANCE_ID=a-1\0"), MARKER)).isTrue();
    assertThat(MarkedProcesses.carries(environ("PULSE_INSTANCE_ID=a-1\0HOME=/\0"), MARKER)).isTrue();
    assertThat(MarkedProcesses.carries(environ("PULSE_INSTANCE_ID=a-10\0"), MARKER)).as("another instance").isFalse();
    assertThat(MarkedProcesses.carries(environ("X_PULSE_INSTANCE_ID=a-1\0"), MARKER)).as("another name").isFalse();
    assertThat(MarkedProcesses.carries(environ("GREETING=PULSE_INSTANCE_ID=a-1\0"), MARKER)).isFalse();
    assertThat(MarkedProcesses.carries(new byte[0], MARKER)).isFalse();
  }

  private static byte[] environ(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
