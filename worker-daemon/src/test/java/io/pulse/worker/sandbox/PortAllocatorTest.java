package io.pulse.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Ports from this engineer's block (24000-24199), so parallel test runs on the machine do not collide. */
class PortAllocatorTest {

  @Test
  void allocate_walksTheRangeRoundRobin_andReusesAReleasedPortLast() {
    PortAllocator ports = new PortAllocator(24100, 24102);

    assertThat(ports.allocate()).hasValue(24100);
    assertThat(ports.allocate()).hasValue(24101);
    ports.release(24100);
    assertThat(ports.allocate()).hasValue(24102);
    assertThat(ports.allocate()).hasValue(24100);
    assertThat(ports.inUseCount()).isEqualTo(3);
  }

  @Test
  void allocate_whenEveryPortIsHeld_isEmpty() {
    PortAllocator ports = new PortAllocator(24110, 24111);
    ports.claim(24110);

    assertThat(ports.allocate()).hasValue(24111);
    assertThat(ports.allocate()).isEqualTo(OptionalInt.empty());
  }

  @Test
  void allocate_skipsAPortSomethingElseListensOn() throws IOException {
    PortAllocator ports = new PortAllocator(24120, 24121);
    try (ServerSocket other = new ServerSocket()) {
      other.bind(new InetSocketAddress("127.0.0.1", 24120));

      assertThat(ports.allocate()).hasValue(24121);
      assertThat(ports.inUseCount()).isEqualTo(1);
    }
  }

  @Test
  void constructor_rejectsABadRange() {
    assertThatThrownBy(() -> new PortAllocator(0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PortAllocator(24010, 24000)).isInstanceOf(IllegalArgumentException.class);
  }
}
