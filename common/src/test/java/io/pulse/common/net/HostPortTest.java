package io.pulse.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void parse_readsHostAndPort() {
    assertThat(HostPort.parse("127.0.0.1:9091")).isEqualTo(new HostPort("127.0.0.1", 9091));
    assertThat(HostPort.parse("[::1]:80")).isEqualTo(new HostPort("::1", 80));
    assertThat(HostPort.parse("[::1]:80").toString()).isEqualTo("[::1]:80");
  }

  @Test
  void parse_rejectsMalformedInputNamingIt() {
    assertThatThrownBy(() -> HostPort.parse("localhost")).hasMessageContaining("'localhost'");
    assertThatThrownBy(() -> HostPort.parse("host:")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> HostPort.parse("host:x")).hasMessageContaining("host:x");
    assertThatThrownBy(() -> HostPort.parse("host:70000")).hasMessageContaining("70000");
  }
}
