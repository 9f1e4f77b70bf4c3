package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DecoderLeftoversTest {

  private final HttpRequestDecoder decoder = new HttpRequestDecoder();
  private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

  private void read(String bytes) {
    channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
    for (Object decoded = channel.readInbound(); decoded != null; decoded = channel.readInbound()) {
      io.netty.util.ReferenceCountUtil.release(decoded);
    }
  }

  @Test
  void aDecoderBetweenRequests_holdsNone() {
    assertThat(DecoderLeftovers.none(decoder)).as("new").isTrue();
    read("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok");
    assertThat(DecoderLeftovers.none(decoder)).as("after a whole request").isTrue();
  }

  @Test
  void aHeadCutWithinALine_leavesBytes_andOneCutAtALineEnd_leavesAHalfReadRequest() {
    read("GET /a HTTP/1.1\r\nHo");
    assertThat(DecoderLeftovers.none(decoder)).as("cut within a line").isFalse();
    read("st: x\r\n");
    assertThat(DecoderLeftovers.none(decoder)).as("cut at a line's end: no byte held, but halfway").isFalse();
    read("\r\n");
    assertThat(DecoderLeftovers.none(decoder)).as("the head's end").isTrue();
  }

  @Test
  void aBodyStillComing_isHeld() {
    read("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nok");
    assertThat(DecoderLeftovers.none(decoder)).isFalse();
  }
}
