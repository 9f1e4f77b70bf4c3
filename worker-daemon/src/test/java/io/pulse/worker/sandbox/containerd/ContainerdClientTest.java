package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.testing.ContainerdHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gRPC client against a real, private containerd. */
class ContainerdClientTest {

  private static ContainerdHarness containerd;

  @BeforeAll
  static void startContainerd() throws Exception {
    ContainerdHarness.assumeAvailable();
    containerd = ContainerdHarness.start();
  }

  @AfterAll
  static void stopContainerd() {
    if (containerd != null) {
      containerd.close();
    }
  }

  @Test
  void version_answersOverTheUnixSocket() {
    try (ContainerdClient client = ContainerdClient.connect(containerd.socket(), "pulse-test", 5_000)) {
      assertThat(client.version().getVersion()).isNotBlank();
    }
  }

  @Test
  void namespacedCall_listsNothingInAFreshNamespace() {
    try (ContainerdClient client = ContainerdClient.connect(containerd.socket(), "pulse-test", 5_000)) {
      assertThat(client.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList()).isEmpty();
    }
  }

  @Test
  void version_withNobodyListening_failsUnavailable() {
    try (ContainerdClient client = ContainerdClient.connect(Path.of("/nonexistent/pulse.sock"), "pulse", 2_000)) {
      assertThatThrownBy(client::version).isInstanceOf(StatusRuntimeException.class)
          .satisfies(e -> assertThat(ContainerdClient.unreachable(e)).isTrue());
    }
  }
}
