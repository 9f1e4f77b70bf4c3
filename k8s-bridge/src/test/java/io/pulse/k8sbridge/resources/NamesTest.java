package io.pulse.k8sbridge.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void dnsLabel_invalidCharactersAndCase_cleaned() {
    assertThat(Names.dnsLabel("Worker_1.host")).isEqualTo("worker-1-host");
    assertThat(Names.dnsLabel("-a-")).isEqualTo("a");
  }

  @Test
  void dnsLabel_tooLong_keepsDistinctShortNames() {
    String a = Names.dnsLabel("x".repeat(80) + "a");
    String b = Names.dnsLabel("x".repeat(80) + "b");
    assertThat(a).hasSizeLessThanOrEqualTo(63).isNotEqualTo(b);
  }

  @Test
  void dns1035Label_leadingDigit_prefixed() {
    assertThat(Names.dns1035Label("1fn")).isEqualTo("fn-1fn");
    assertThat(Names.dns1035Label("hello")).isEqualTo("hello");
  }

  @Test
  void labelValue_keepsDotsAndUnderscores() {
    assertThat(Names.labelValue("host-a.example.com")).isEqualTo("host-a.example.com");
    assertThat(Names.labelValue("a b")).isEqualTo("a-b");
  }
}
