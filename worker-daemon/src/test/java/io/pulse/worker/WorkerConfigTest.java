package io.pulse.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.net.HostPort;
import io.pulse.common.testing.RecordWithers;
import io.pulse.worker.sandbox.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  @Test
  void defaults_matchTheDocumentedValues() {
    WorkerConfig config = WorkerConfig.defaults();

    assertThat(config.grpcBind()).isEqualTo(new HostPort("0.0.0.0", 9093));
    assertThat(config.advertiseHost()).isEqualTo("127.0.0.1");
    assertThat(config.controlPlane()).containsExactly(new HostPort("127.0.0.1", 9091));
    assertThat(config.runtime()).isEqualTo("process");
    assertThat(config.portRangeStart()).isEqualTo(20000);
    assertThat(config.portRangeEnd()).isEqualTo(29999);
    assertThat(config.stopGraceMs()).isEqualTo(2000);
    assertThat(config.defaultReadinessTimeoutMs()).isEqualTo(30000);
    assertThat(config.heartbeatIntervalMs()).isEqualTo(1000);
    assertThat(config.cpuMillis()).isEqualTo(Runtime.getRuntime().availableProcessors() * 1000);
    assertThat(config.memoryMiB()).isPositive();
    assertThat(config.cpuOvercommit()).isEqualTo(4.0);
    assertThat(config.workerId()).startsWith(WorkerConfig.hostname() + "-");
    assertThat(WorkerConfig.defaults().workerId()).as("random suffix").isNotEqualTo(config.workerId());
  }

  @Test
  void invalidValues_areRejectedNamingTheField() {
    WorkerConfig config = WorkerConfig.defaults();

    assertThatThrownBy(() -> config.withRuntime("docker")).hasMessageContaining("runtime");
    assertThatThrownBy(() -> config.withWorkerId("has space")).hasMessageContaining("workerId");
    assertThatThrownBy(() -> config.withControlPlane(List.of())).hasMessageContaining("controlPlane");
    assertThatThrownBy(() -> config.withCapacity(0, 1024)).hasMessageContaining("cpuMillis");
    assertThatThrownBy(() -> config.withCapacity(1000, -1)).hasMessageContaining("memoryMiB");
    assertThatThrownBy(() -> config.withPortRange(40000, 39999)).hasMessageContaining("portRangeEnd");
    assertThatThrownBy(() -> config.withPortRange(0, 39999)).hasMessageContaining("portRangeStart");
    assertThatThrownBy(() -> config.withStopGraceMs(-1)).hasMessageContaining("stopGraceMs");
    assertThatThrownBy(() -> config.withDefaultReadinessTimeoutMs(0)).hasMessageContaining("defaultReadinessTimeoutMs");
    assertThatThrownBy(() -> config.withHeartbeatIntervalMs(0)).hasMessageContaining("heartbeatIntervalMs");
    assertThatThrownBy(() -> config.withAdvertiseHost(" ")).hasMessageContaining("advertiseHost");
    assertThatThrownBy(() -> config.withFakeReadyDelayMs(-5)).hasMessageContaining("fakeReadyDelayMs");
    assertThatThrownBy(() -> config.withCpuOvercommit(0.5)).hasMessageContaining("cpuOvercommit");
    assertThatThrownBy(() -> config.withCpuOvercommit(Double.NaN)).hasMessageContaining("cpuOvercommit");
    assertThatThrownBy(() -> config.withCpuOvercommit(101)).hasMessageContaining("cpuOvercommit");
    assertThatThrownBy(() -> config.withLogMaxBytes(1024)).hasMessageContaining("logMaxBytes");
  }

  @Test
  void cpuIsOvercommitted_memoryIsNot_andTheEmergencyReserveIsAShareOfWhatIsSchedulable() {
    WorkerConfig twoCores = WorkerConfig.defaults().withCapacity(2000, 2560);

    // Ten functions of the default 250m and 256 MiB: 2500m of requests on 2000m of cores.
    assertThat(twoCores.schedulable()).isEqualTo(new Resources(8000, 2560));
    assertThat(twoCores.emergencyReserve()).isEqualTo(new Resources(1600, 512));
    assertThat(twoCores.regularCapacity()).isEqualTo(new Resources(6400, 2048));
    assertThat(twoCores.regularCapacity().cpuMillis() / 250).as("default Regular Instances by CPU").isEqualTo(25);

    WorkerConfig strict = twoCores.withCpuOvercommit(1.0);
    assertThat(strict.schedulable()).isEqualTo(new Resources(2000, 2560));
    assertThat(strict.regularCapacity()).isEqualTo(new Resources(1600, 2048));
    assertThat(twoCores.withCpuOvercommit(1.5).schedulable().cpuMillis()).isEqualTo(3000);
  }

  @Test
  void withers_eachSetTheirOwnComponent() {
    // Withers copy through Records.with and a component name: a typo or a crossed name fails here.
    assertThat(RecordWithers.check(WorkerConfig.defaults())).isNotEmpty();
  }
}
