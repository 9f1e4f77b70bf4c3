package io.pulse.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HaproxyConfigTest {

  @Test
  void threads_areHaproxysDefaultUnlessNamed() {
    assertThat(Haproxy.config("127.0.0.1", 8000, "127.0.0.1", 9000, 0)).doesNotContain("    nbthread ")
        .contains("    bind 127.0.0.1:8000").contains("    server instance 127.0.0.1:9000");
    assertThat(Haproxy.config("127.0.0.1", 8000, "127.0.0.1", 9000, 1)).contains("\n    nbthread 1\n");
  }
}
