package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class ProxyHeadersTest {

  @Test
  void toInstance_dropsHopByHopHostAndExpect_andTheHeadersConnectionNames_andSetsForwarded() {
    MultiMap incoming = MultiMap.caseInsensitiveMultiMap()
        .add("Host", "hello.fn.localhost").add("Expect", "100-continue").add("Keep-Alive", "timeout=5")
        .add("Connection", "keep-alive, X-Secret").add("X-Secret", "hop").add("Accept", "*/*")
        .add("X-Forwarded-For", "10.0.0.1").add("cookie", "a=1").add("Cookie", "b=2");
    MultiMap out = MultiMap.caseInsensitiveMultiMap();

    ProxyHeaders.toInstance(incoming, out, "hello.fn.localhost", "127.0.0.1", "http");

    assertThat(out.names()).containsExactlyInAnyOrder("Accept", "cookie", "X-Forwarded-For", "X-Forwarded-Host",
        "X-Forwarded-Proto");
    assertThat(out.getAll("Cookie")).containsExactly("a=1", "b=2");
    assertThat(out.get("X-Forwarded-For")).isEqualTo("10.0.0.1, 127.0.0.1");
    assertThat(out.get("X-Forwarded-Host")).isEqualTo("hello.fn.localhost");
  }

  @Test
  void connectionNamesAHeader_onlyThatRequestDropsIt() {
    MultiMap named = MultiMap.caseInsensitiveMultiMap().add("Connection", "X-Trace").add("X-Trace", "1");
    MultiMap plain = MultiMap.caseInsensitiveMultiMap().add("X-Trace", "1");
    MultiMap first = MultiMap.caseInsensitiveMultiMap();
    MultiMap second = MultiMap.caseInsensitiveMultiMap();

    ProxyHeaders.toClient(named, first);
    ProxyHeaders.toClient(plain, second);

    assertThat(first.contains("X-Trace")).isFalse();
    assertThat(second.get("X-Trace")).isEqualTo("1");
  }

  @Test
  void toStore_keepsEndToEndHeaders_lessLengthAndPulseInstructions() {
    MultiMap incoming = MultiMap.caseInsensitiveMultiMap().add("Content-Length", "3").add("Pulse-Callback-Url", "x")
        .add("Transfer-Encoding", "chunked").add("X-App", "1");

    assertThat(ProxyHeaders.toStore(incoming).names()).containsExactly("X-App");
  }
}
