package io.pulse.controlplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.v1.PoolReport;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.status.FunctionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtosPoolTest {

  @Test
  void workerInfo_carriesThePoolBudget_bothWays() {
    WorkerDescriptor descriptor = WorkerDescriptor.newBuilder().setWorkerId("w1").setAddress("127.0.0.1:1")
        .setHostname("h").setRuntime("containerd").setCapacity(Resources.newBuilder().setCpuMillis(1000)
            .setMemoryMib(3072)).setPoolMembers(8).setPoolMemoryMib(1024).build();

    WorkerInfo info = Protos.workerInfo(descriptor);

    assertThat(info.poolMembers()).isEqualTo(8);
    assertThat(info.poolMemoryMiB()).isEqualTo(1024);
    assertThat(Protos.workerInfo(Protos.workerDescriptor(info))).isEqualTo(info);
  }

  @Test
  void pools_carryTheRefillTime() {
    assertThat(Protos.pools("w1", List.of(PoolReport.newBuilder().setFunction("f").setRevision(2).setTarget(3)
        .setReady(1).setRefillMicros(150_000).build())))
        .containsExactly(new FunctionStatus.Pool("w1", "f", 2, 3, 1, 0, 0, null, 150_000));
  }
}
