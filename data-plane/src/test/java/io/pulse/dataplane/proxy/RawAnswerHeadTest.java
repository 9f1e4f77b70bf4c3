package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pulse.dataplane.proxy.RawAnswerHead.Body;
import io.pulse.dataplane.proxy.RawAnswerHead.Incomplete;
import io.pulse.dataplane.proxy.RawAnswerHead.Malformed;
import io.pulse.dataplane.proxy.RawAnswerHead.Parse;
import io.pulse.dataplane.proxy.RawAnswerHead.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RawAnswerHeadTest {

  private static final String OK = "HTTP/1.1 200 OK\r\n";

  @Test
  void parse_readsStatusLengthAndWhereTheHeadEnds_withoutMovingTheBuffer() {
    String head = OK + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n";
    ByteBuf bytes = bytes("xx" + head + "hello");
    bytes.readerIndex(2);

    RawAnswerHead parsed = parsed(bytes, false);

    assertThat(parsed.status()).isEqualTo(200);
    assertThat(parsed.body()).isEqualTo(Body.LENGTH);
    assertThat(parsed.contentLength()).isEqualTo(5);
    assertThat(parsed.close()).isFalse();
    assertThat(parsed.interim()).isFalse();
    assertThat(parsed.length()).isEqualTo(head.length());
    assertThat(bytes.readerIndex()).isEqualTo(2);
  }

  static Stream<Arguments> framings() {
    return Stream.of(
        // head, HEAD request, body, content length, instance closes after it
        Arguments.of(OK + "Content-Length: 0\r\n\r\n", false, Body.LENGTH, 0L, false),
        Arguments.of(OK + "Transfer-Encoding: chunked\r\n\r\n", false, Body.CHUNKED, 0L, false),
        Arguments.of(OK + "Transfer-Encoding: Chunked\r\nConnection: close\r\n\r\n", false, Body.CHUNKED, 0L, true),
        Arguments.of(OK + "Content-Type: a/b\r\n\r\n", false, Body.UNTIL_CLOSE, 0L, true),
        Arguments.of(OK + "Content-Length: 9\r\n\r\n", true, Body.NONE, 0L, false),
        Arguments.of("HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n", false, Body.NONE, 0L, false),
        Arguments.of("HTTP/1.1 304 Not Modified\r\n\r\n", false, Body.NONE, 0L, false),
        Arguments.of("HTTP/1.1 100 Continue\r\n\r\n", false, Body.NONE, 0L, false),
        Arguments.of(OK + "Connection: Keep-Alive, Close\r\nContent-Length: 2\r\n\r\n", false, Body.LENGTH, 2L, true),
        Arguments.of("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n", false, Body.LENGTH, 2L, true),
        Arguments.of("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n", false, Body.LENGTH, 2L,
            false),
        // bare LF line ends, as the Vert.x path's client reads them (BareLineFeedResponses)
        Arguments.of("HTTP/1.1 200 OK\nContent-Length: 4\n\n", false, Body.LENGTH, 4L, false),
        Arguments.of("HTTP/1.1 200\r\nContent-Length:\t7 \r\n\r\n", false, Body.LENGTH, 7L, false));
  }

  @ParameterizedTest
  @MethodSource("framings")
  void framing(String head, boolean headRequest, Body body, long length, boolean close) {
    RawAnswerHead parsed = parsed(bytes(head), headRequest);

    assertThat(parsed.body()).isEqualTo(body);
    assertThat(parsed.contentLength()).isEqualTo(length);
    assertThat(parsed.close()).isEqualTo(close);
    assertThat(parsed.length()).isEqualTo(head.length());
  }

  @Test
  void parse_ofEveryPrefix_isIncomplete() {
    String head = OK + "Content-Length: 3\r\nX-A: b c\r\n\r\n";
    for (int n = 0; n < head.length(); n++) {
      assertThat(RawAnswerHead.parse(bytes(head.substring(0, n)), false)).as("prefix of %d bytes", n)
          .isInstanceOf(Incomplete.class);
    }
    assertThat(RawAnswerHead.parse(bytes(head), false)).isInstanceOf(Parsed.class);
  }

  @Test
  void parse_ofEveryPrefix_withBareLineFeeds_isIncomplete() {
    String head = "HTTP/1.1 200 OK\nContent-Length: 3\nX-A: b\n\n";
    for (int n = 0; n < head.length(); n++) {
      assertThat(RawAnswerHead.parse(bytes(head.substring(0, n)), false)).as("prefix of %d bytes", n)
          .isInstanceOf(Incomplete.class);
    }
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("HTTP/2 200 OK\r\n\r\n", "status line: not HTTP/1.x"),
        Arguments.of("http/1.1 200 OK\r\n\r\n", "status line: not HTTP/1.x"),
        Arguments.of("HTTP/1.2 200 OK\r\n\r\n", "status line: not HTTP/1.0 or HTTP/1.1"),
        Arguments.of("HTTP/1.1  200 OK\r\n\r\n", "status line: a three-digit status"),
        Arguments.of("HTTP/1.1 20x OK\r\n\r\n", "status line: a three-digit status"),
        Arguments.of("HTTP/1.1 099 Low\r\n\r\n", "status line: status 99"),
        Arguments.of("HTTP/1.1 101 Switching Protocols\r\n\r\n", "status line: status 101"),
        Arguments.of("HTTP/1.1 2000 OK\r\n\r\n", "status line: a space after the status"),
        Arguments.of("HTTP/1.1 200 O\rK\r\n\r\n", "status line: a NUL or a CR inside"),
        Arguments.of(OK + "Content-Length: 1\r\nContent-Length: 1\r\n\r\n", "more than one Content-Length"),
        Arguments.of(OK + "Content-Length: 1, 1\r\n\r\n", "Content-Length: not a number"),
        Arguments.of(OK + "Content-Length: -1\r\n\r\n", "Content-Length: not a number"),
        Arguments.of(OK + "Content-Length: \r\n\r\n", "Content-Length: not a number"),
        Arguments.of(OK + "Transfer-Encoding: gzip, chunked\r\n\r\n", "Transfer-Encoding: other than one chunked"),
        Arguments.of(OK + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            "Transfer-Encoding: other than one chunked"),
        Arguments.of(OK + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
            "both Content-Length and Transfer-Encoding"),
        Arguments.of("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            "Transfer-Encoding in an HTTP/1.0 answer"),
        Arguments.of(OK + "X-A: b\r\n c\r\n\r\n", "header field: obs-fold"),
        Arguments.of(OK + "X-A : b\r\n\r\n", "header field: a token name then a colon"),
        Arguments.of(OK + ": b\r\n\r\n", "header field: a token name then a colon"),
        Arguments.of(OK + "X(A): b\r\n\r\n", "header field: a token name then a colon"),
        Arguments.of(OK + "X-A: b\rc\r\n\r\n", "header field: a CR not followed by LF"),
        Arguments.of(OK + "X-A: b\u0000c\r\n\r\n", "header field: a control character in a value"),
        Arguments.of(OK + "\rX\r\n", "header section: a CR not followed by LF"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformed(String input, String reason) {
    assertThat(RawAnswerHead.parse(bytes(input), false)).isEqualTo(new Malformed(reason));
  }

  @Test
  void parse_ofAHeadOverTheLimit_isMalformed() {
    String big = OK + "X-Big: " + "a".repeat(RawAnswerHead.MAX_HEAD_BYTES) + "\r\n\r\n";
    assertThat(RawAnswerHead.parse(bytes(big), false)).isInstanceOf(Malformed.class);
  }

  @Test
  void parse_takesAsManyHeaderLinesAsTheLimit_refusesOneMore_andEachHeadKeepsItsOwnLines() {
    StringBuilder lines = new StringBuilder();
    for (int k = 0; k < RawRequestHead.MAX_HEADERS - 1; k++) {
      lines.append("X-").append(k).append(": ").append(k).append("\r\n");
    }
    String atTheLimit = OK + lines + "Content-Length: 0\r\n\r\n";
    String overIt = OK + lines + "X-More: 1\r\nContent-Length: 0\r\n\r\n";
    String small = OK + "X-Small: 1\r\nContent-Length: 0\r\n\r\n";

    ByteBuf big = bytes(atTheLimit);
    RawAnswerHead first = parsed(big, false);
    assertThat(RawAnswerHead.parse(bytes(overIt), false)).isEqualTo(
        new Malformed("more than " + RawRequestHead.MAX_HEADERS + " header fields"));
    ByteBuf other = bytes(small);
    RawAnswerHead second = parsed(other, false); // parsed on the same thread after the first

    ByteBuf out = Unpooled.buffer();
    first.writeForClient(big, out, true);
    assertThat(out.toString(StandardCharsets.US_ASCII))
        .isEqualTo(OK + lines + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    out = Unpooled.buffer();
    second.writeForClient(other, out, true);
    assertThat(out.toString(StandardCharsets.US_ASCII))
        .isEqualTo(OK + "X-Small: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  }

  @Test
  void writeForClient_keepsEndToEndLines_dropsHopByHopOnesAndThoseConnectionNames_andWritesCrlf() {
    String head = "HTTP/1.1 201 Created\nContent-Type: a/b\nConnection: keep-alive, X-Hop\nKeep-Alive: timeout=5\n"
        + "X-Hop: 1\nUpgrade: h2c\nContent-Length: 2\nX-End: yes\n\n";
    ByteBuf source = bytes(head);
    ByteBuf out = Unpooled.buffer();

    parsed(source, false).writeForClient(source, out, false);

    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(
        "HTTP/1.1 201 Created\r\nContent-Type: a/b\r\nContent-Length: 2\r\nX-End: yes\r\n\r\n");
  }

  @Test
  void writeForClient_chunksWhatEndsWithTheClose_saysChunkedAgain_andClosesWhenAsked() {
    ByteBuf untilClose = bytes("HTTP/1.0 200 OK\r\nX-A: b\r\n\r\n");
    ByteBuf out = Unpooled.buffer();
    parsed(untilClose, false).writeForClient(untilClose, out, true);
    assertThat(out.toString(StandardCharsets.US_ASCII))
        .isEqualTo("HTTP/1.1 200 OK\r\nX-A: b\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");

    ByteBuf chunked = bytes("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n");
    out = Unpooled.buffer();
    parsed(chunked, false).writeForClient(chunked, out, false);
    assertThat(out.toString(StandardCharsets.US_ASCII))
        .isEqualTo("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n");
  }

  @Test
  void writeForClient_withoutAReasonPhrase() {
    ByteBuf source = bytes("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n");
    ByteBuf out = Unpooled.buffer();
    parsed(source, false).writeForClient(source, out, false);
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n");
  }

  static Stream<Arguments> asIs() {
    return Stream.of(
        // head, HEAD request, relayed as it came
        Arguments.of(OK + "content-type: text/plain\r\ncontent-length: 5\r\n\r\n", false, true),
        Arguments.of("HTTP/1.1 204 No Content\r\n\r\n", false, true),
        Arguments.of("HTTP/1.1 200\r\nContent-Length: 9\r\nX-Empty:\r\nX-Sp: \r\n\r\n", true, true),
        Arguments.of(OK + "Content-Length: 0\r\n\r\n", false, true),
        Arguments.of(OK + "Content-Length: 0\r\nX-Trailing: a \r\n\r\n", false, false), // trimmed for the client
        Arguments.of(OK + "Content-Length: 0\r\nKeep-Alive: timeout=5\r\n\r\n", false, false), // hop-by-hop
        Arguments.of(OK + "Connection: X-A\r\nX-A: 1\r\nContent-Length: 0\r\n\r\n", false, false),
        Arguments.of(OK + "Transfer-Encoding: chunked\r\n\r\n", false, false),
        Arguments.of(OK + "Content-Type: a/b\r\n\r\n", false, false), // until the close: chunked for the client
        Arguments.of("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n", false, false),
        Arguments.of("HTTP/1.1 200 OK\nContent-Length: 4\r\n\r\n", false, false),
        Arguments.of(OK + "Content-Length: 4\nX-A: b\r\n\r\n", false, false),
        Arguments.of(OK + "Content-Length: 4\r\n\n", false, false),
        Arguments.of("HTTP/1.1 200 OK\n\n", true, false));
  }

  /**
   * Relayed as it came only when the head written for the client would be its own bytes; a chunked head may be that
   * too (its framing line is written again), but its body is relayed chunk by chunk, so it takes the general way.
   */
  @ParameterizedTest
  @MethodSource("asIs")
  void relayedAsIs_onlyWhenWriteForClientWritesTheHeadAsItCame(String head, boolean headRequest, boolean asIs) {
    ByteBuf source = bytes(head + "body");
    RawAnswerHead parsed = parsed(source, headRequest);
    ByteBuf out = Unpooled.buffer();
    parsed.writeForClient(source, out, false);

    boolean same = out.toString(StandardCharsets.ISO_8859_1).equals(head);
    assertThat(same).isEqualTo(asIs || parsed.body() == Body.CHUNKED);
    assertThat(parsed.relayedAsIs(false)).isEqualTo(asIs);
    assertThat(parsed.relayedAsIs(true)).isFalse(); // the client's close is a header more
  }

  private static RawAnswerHead parsed(ByteBuf bytes, boolean headRequest) {
    Parse parse = RawAnswerHead.parse(bytes, headRequest);
    assertThat(parse).isInstanceOf(Parsed.class);
    return ((Parsed) parse).head();
  }

  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }
}
