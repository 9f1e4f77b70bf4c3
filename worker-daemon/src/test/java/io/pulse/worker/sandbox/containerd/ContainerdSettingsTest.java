package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.testing.RecordWithers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ContainerdSettingsTest {

  private final ContainerdSettings defaults = ContainerdSettings.defaults(Path.of("/run/c.sock"), Path.of("/tmp/d"));

  @Test
  void cniSubnet_acceptsIpv4Cidrs_andNamesTheFieldOtherwise() {
    assertThat(defaults.cniSubnet()).isEqualTo("10.88.64.0/18");
    assertThat(defaults.cniIpMasq()).isTrue();
    assertThat(defaults.withCniSubnet("172.30.0.0/27").cniSubnet()).isEqualTo("172.30.0.0/27");
    for (String bad : new String[] {"10.88.0.0", "10.88.0.0/31", "10.88.0.0/7", "300.1.1.1/24", "fd00::/64", ""}) {
      assertThatThrownBy(() -> defaults.withCniSubnet(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cniSubnet");
    }
  }

  @Test
  void withers_eachSetTheirOwnComponent() {
    // Withers copy through Records.with and a component name: a typo or a crossed name fails here.
    assertThat(RecordWithers.check(ContainerdSettings.defaults(Path.of("/run/containerd.sock"), Path.of("/tmp/pulse")))).isNotEmpty();
  }
}
