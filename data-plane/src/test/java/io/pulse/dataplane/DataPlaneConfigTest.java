package io.pulse.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.net.HostPort;
import io.pulse.common.testing.RecordWithers;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataPlaneConfigTest {

  @Test
  void defaults_matchTheDocumentedValues() {
    DataPlaneConfig config = DataPlaneConfig.defaults();
    assertThat(config.httpBind()).isEqualTo(new HostPort("0.0.0.0", 8080));
    assertThat(config.domain()).isEqualTo("fn.localhost");
    assertThat(config.controlPlane()).containsExactly(new HostPort("127.0.0.1", 9091));
    assertThat(config.queueCapacity()).isEqualTo(1000);
    assertThat(config.queueTimeoutMs()).isEqualTo(30_000);
    assertThat(config.reportIntervalMs()).isEqualTo(1000);
    assertThat(config.maxRequestBodyBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(config.eventLoops())
        .isEqualTo(DataPlaneConfig.defaultEventLoops(Runtime.getRuntime().availableProcessors()));
    assertThat(config.dataPlaneId()).isNotBlank().isNotEqualTo(DataPlaneConfig.defaults().dataPlaneId());
  }

  @Test
  void defaultEventLoops_isHalfTheCores_atLeastOne() {
    assertThat(DataPlaneConfig.defaultEventLoops(1)).isEqualTo(1);
    assertThat(DataPlaneConfig.defaultEventLoops(2)).isEqualTo(1);
    assertThat(DataPlaneConfig.defaultEventLoops(3)).isEqualTo(1);
    assertThat(DataPlaneConfig.defaultEventLoops(4)).isEqualTo(2);
    assertThat(DataPlaneConfig.defaultEventLoops(32)).isEqualTo(16);
  }

  @Test
  void withers_changeOneField() {
    DataPlaneConfig config = DataPlaneConfig.defaults().withQueueCapacity(5).withDomain("fn.example.com");
    assertThat(config.queueCapacity()).isEqualTo(5);
    assertThat(config.domain()).isEqualTo("fn.example.com");
    assertThat(config.reportIntervalMs()).isEqualTo(1000);
  }

  @Test
  void constructor_namesTheBadField() {
    DataPlaneConfig config = DataPlaneConfig.defaults();
    assertThatThrownBy(() -> config.withQueueCapacity(0)).hasMessageContaining("queueCapacity");
    assertThatThrownBy(() -> config.withQueueTimeoutMs(0)).hasMessageContaining("queueTimeoutMs");
    assertThatThrownBy(() -> config.withReportIntervalMs(1)).hasMessageContaining("reportIntervalMs");
    assertThatThrownBy(() -> config.withMaxRequestBodyBytes(-1)).hasMessageContaining("maxRequestBodyBytes");
    assertThatThrownBy(() -> config.withEventLoops(0)).hasMessageContaining("eventLoops");
    assertThatThrownBy(() -> config.withControlPlane(List.of())).hasMessageContaining("controlPlane");
    assertThatThrownBy(() -> config.withDomain(".fn.localhost")).hasMessageContaining("domain");
    assertThatThrownBy(() -> config.withDomain("Fn.Localhost")).hasMessageContaining("domain");
    assertThatThrownBy(() -> config.withDataPlaneId(" ")).hasMessageContaining("dataPlaneId");
  }

  @Test
  void withers_eachSetTheirOwnComponent() {
    // Withers copy through Records.with and a component name: a typo or a crossed name fails here.
    assertThat(RecordWithers.check(DataPlaneConfig.defaults())).isNotEmpty();
  }
}
