package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClosingInstancesTest {

  @Test
  void anInstanceSeenClosing_isRemembered_othersAreNot() {
    ClosingInstances closing = new ClosingInstances();

    closing.closed("busybox-1");

    assertThat(closing.closes("busybox-1")).isTrue();
    assertThat(closing.closes("hello-1")).isFalse();
  }

  @Test
  void bounded_theLeastRecentlyUsedIsForgottenFirst() {
    ClosingInstances closing = new ClosingInstances();
    closing.closed("first");
    closing.closed("second");
    for (int i = 0; i < ClosingInstances.MAX_REMEMBERED - 2; i++) {
      closing.closed("i-" + i);
    }
    assertThat(closing.closes("first")).isTrue(); // used: now the most recent

    closing.closed("one-more");

    assertThat(closing.closes("second")).isFalse();
    assertThat(closing.closes("first")).isTrue();
    assertThat(closing.closes("one-more")).isTrue();
  }
}
