package io.pulse.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HelloTest {

  @Test
  void sleepMillis_readsTheQueryParameter() {
    assertThat(Hello.sleepMillis(URI.create("/x?a=1&sleep=250"))).isEqualTo(250);
    assertThat(Hello.sleepMillis(URI.create("/x?sleep=-5"))).isZero();
    assertThat(Hello.sleepMillis(URI.create("/x"))).isZero();
  }

  @Test
  void sleepMillis_rejectsNonNumbers() {
    assertThatThrownBy(() -> Hello.sleepMillis(URI.create("/x?sleep=abc"))).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void argv_runsHelloWithThisJvm() {
    assertThat(HelloCommand.argv()).endsWith(Hello.class.getName()).contains("-cp");
    assertThat(HelloCommand.codeLocation()).exists();
  }
}
