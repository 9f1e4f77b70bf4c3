package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortBlockTest {

  @Test
  void aBlock_isSplitInTwoHalvesThatDoNotOverlap() {
    HostPortBlock block = HostPortBlock.parse("--host-ports", "33000-33499");
    assertThat(block.start()).isEqualTo(33000);
    assertThat(block.secondHalfStart()).isEqualTo(33250);
    assertThat(block.end()).isEqualTo(33499);
    assertThat(HostPortBlock.parse("--host-ports", "10-12").secondHalfStart()).isEqualTo(11);
  }

  @Test
  void malformedOrTooSmallBlocks_nameTheOption() {
    for (String bad : new String[] {"33000", "a-b", "33000-33000", "0-10", "65000-70000", "1-2-3"}) {
      assertThatThrownBy(() -> HostPortBlock.parse("--host-ports", bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--host-ports");
    }
  }
}
