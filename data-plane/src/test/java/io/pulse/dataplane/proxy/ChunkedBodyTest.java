package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedBodyTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "5\r\nhello\r\n0\r\n\r\n",
      "5;name=value\r\nhello\r\n0\r\n\r\n",
      "A\r\n0123456789\r\n3\r\nabc\r\n0\r\n\r\n",
      "5\r\nhello\r\n0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n",
      "0\r\n\r\n",
      "5\nhello\n0\n\n",
      "00005 \r\nhello\r\n000\r\n\r\n"})
  void endsRightAfterTheLastChunkAndTrailers_atEverySplit(String body) {
    String after = "HTTP/1.1 200 OK\r\n"; // what must not be taken for the body
    ByteBuf bytes = bytes(body + after);
    int end = body.length();

    assertThat(new ChunkedBody().scan(bytes, 0, bytes.writerIndex())).isEqualTo(end);
    for (int split = 0; split <= end; split++) {
      ChunkedBody scanner = new ChunkedBody();
      int first = scanner.scan(bytes, 0, split);
      if (split < end) {
        assertThat(first).as("split at %d", split).isEqualTo(ChunkedBody.MORE);
        assertThat(scanner.scan(bytes, split, bytes.writerIndex())).as("split at %d", split).isEqualTo(end);
      } else {
        assertThat(first).isEqualTo(end);
      }
    }
  }

  @Test
  void byteByByte() {
    String body = "3\r\nabc\r\n0\r\nT: 1\r\n\r\n";
    ByteBuf bytes = bytes(body);
    ChunkedBody scanner = new ChunkedBody();
    for (int i = 0; i < body.length() - 1; i++) {
      assertThat(scanner.scan(bytes, i, i + 1)).as("byte %d", i).isEqualTo(ChunkedBody.MORE);
    }
    assertThat(scanner.scan(bytes, body.length() - 1, body.length())).isEqualTo(body.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\r\nhello\r\n0\r\n\r\n", // no size
      "x\r\nhello\r\n0\r\n\r\n", // not hex
      "-5\r\nhello\r\n0\r\n\r\n",
      "5\r\nhelloX\r\n0\r\n\r\n", // data longer than its size
      "5\rXhello\r\n0\r\n\r\n",
      "5\r\nhello\r\n0\r\n\rX",
      "1000000000000000\r\n"}) // 16 hex digits
  void malformed(String body) {
    ByteBuf bytes = bytes(body);
    assertThat(new ChunkedBody().scan(bytes, 0, bytes.writerIndex())).isEqualTo(ChunkedBody.MALFORMED);
  }

  @Test
  void aSizeLineWithoutEnd_isMalformedPastTheLineLimit() {
    ByteBuf bytes = bytes("5;" + "x".repeat(5000));
    assertThat(new ChunkedBody().scan(bytes, 0, bytes.writerIndex())).isEqualTo(ChunkedBody.MALFORMED);
  }

  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }
}
