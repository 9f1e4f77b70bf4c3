package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.v1.PoolReport;
import io.pulse.worker.sandbox.containerd.pool.PoolKey;
import io.pulse.worker.sandbox.containerd.pool.PoolStatus;
import org.junit.jupiter.api.Test;

class SandboxProtosPoolTest {

  @Test
  void pool_reportsEveryFieldOfThePoolsStatus_anEmptyErrorAfterASuccess() {
    assertThat(SandboxProtos.pool(new PoolStatus(new PoolKey("f", 3), 4, 1, 2, 5, "image: HTTP 404", 81_000)))
        .isEqualTo(PoolReport.newBuilder().setFunction("f").setRevision(3).setTarget(4).setReady(1).setCreating(2)
            .setFailures(5).setLastError("image: HTTP 404").setRefillMicros(81_000).build());
    assertThat(SandboxProtos.pool(new PoolStatus(new PoolKey("f", 3), 4, 4, 0, 0, null)).getLastError()).isEmpty();
  }
}
