package io.pulse.common.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

class NetTransportTest {

  @Test
  void parse_takesAutoEpollAndIoUring_inAnyCase() {
    assertThat(NetTransport.parse("Auto")).isEqualTo(NetTransport.AUTO);
    assertThat(NetTransport.parse("epoll")).isEqualTo(NetTransport.EPOLL);
    assertThat(NetTransport.parse("io_uring")).isEqualTo(NetTransport.IO_URING);
    assertThat(NetTransport.parse("IO-URING")).isEqualTo(NetTransport.IO_URING);
  }

  @Test
  void parse_ofAnythingElse_namesTheFlagAndWhatItTakes() {
    assertThatThrownBy(() -> NetTransport.parse("kqueue")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--transport: 'kqueue' is none of auto, epoll, io_uring");
  }

  @Test
  void auto_isIoUringWhereOffered_elseEpoll_andTheNamedOnesStayThemselves() {
    assertThat(NetTransport.AUTO.resolve(true)).isEqualTo(NetTransport.IO_URING);
    assertThat(NetTransport.AUTO.resolve(false)).isEqualTo(NetTransport.EPOLL);
    assertThat(NetTransport.EPOLL.resolve(true)).isEqualTo(NetTransport.EPOLL);
    assertThat(NetTransport.IO_URING.resolve(false)).isEqualTo(NetTransport.IO_URING);
  }

  @Test
  void auto_buildsWithIoUringHere_whenTheKernelOffersIt() {
    assertThat(NetTransport.AUTO.vertxTransport())
        .isSameAs(Transport.IO_URING.available() ? Transport.IO_URING : null);
  }

  @Test
  void epoll_leavesTheChoiceToVertxsNativePreference_ioUringIsAskedForByName() {
    assertThat(NetTransport.EPOLL.vertxTransport()).isNull();
    if (Transport.IO_URING.available()) {
      assertThat(NetTransport.IO_URING.vertxTransport()).isSameAs(Transport.IO_URING);
    } else {
      assertThatThrownBy(NetTransport.IO_URING::vertxTransport).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--transport io_uring: io_uring is not available here");
    }
  }
}
