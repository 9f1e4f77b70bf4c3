package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pulse.dataplane.proxy.RawRequestHead.HandOver;
import io.pulse.dataplane.proxy.RawRequestHead.Incomplete;
import io.pulse.dataplane.proxy.RawRequestHead.Parse;
import io.pulse.dataplane.proxy.RawRequestHead.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RawRequestHeadTest {

  private static final String GET = "GET /fn/hello?x=1 HTTP/1.1\r\nHost: hello.fn.local\r\n";

  @Test
  void parse_readsMethodTargetHostLengthAndWhereTheHeadEnds_withoutMovingTheBuffer() {
    String head = "POST /fn/hello HTTP/1.1\r\nhost: hello.fn.local:8080\r\nContent-Length: 5\r\n"
        + "Accept: */*\r\n\r\n";
    ByteBuf bytes = bytes("xx" + head + "hello");
    bytes.readerIndex(2);

    RawRequestHead parsed = parsed(bytes);

    assertThat(parsed.method()).isEqualTo("POST");
    assertThat(parsed.target()).isEqualTo("/fn/hello");
    assertThat(parsed.host()).isEqualTo("hello.fn.local:8080");
    assertThat(parsed.contentLength()).isEqualTo(5);
    assertThat(parsed.close()).isFalse();
    assertThat(parsed.forwardedFor()).isNull();
    assertThat(parsed.length()).isEqualTo(head.length());
    assertThat(bytes.readerIndex()).isEqualTo(2);
  }

  @Test
  void parse_withoutContentLength_isABodylessRequest_andConnectionCloseIsNoticed() {
    RawRequestHead parsed = parsed(bytes(GET + "Connection: Close\r\n\r\n"));

    assertThat(parsed.contentLength()).isZero();
    assertThat(parsed.close()).isTrue();
    assertThat(parsed(bytes(GET + "Connection: keep-alive\r\n\r\n")).close()).isFalse();
  }

  @Test
  void parse_toleratesWhitespaceAroundValues_asRfc9112Allows() {
    RawRequestHead parsed = parsed(bytes("GET / HTTP/1.1\r\nHost:\t h \t\r\nContent-Length:  12 \r\n\r\n"));

    assertThat(parsed.host()).isEqualTo("h");
    assertThat(parsed.contentLength()).isEqualTo(12);
  }

  /** Every prefix of a complete head is incomplete: the parser waits for more rather than guessing. */
  @Test
  void parse_ofEveryPrefix_isIncomplete() {
    String head = GET + "Content-Length: 3\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n";
    for (int n = 0; n < head.length(); n++) {
      assertThat(RawRequestHead.parse(bytes(head.substring(0, n)))).as("prefix of %d bytes", n)
          .isInstanceOf(Incomplete.class);
    }
    assertThat(RawRequestHead.parse(bytes(head))).isInstanceOf(Parsed.class);
  }

  static Stream<Arguments> handedOver() {
    return Stream.of(
        // framing the full server's RequestFraming decides on (and refuses where it must)
        Arguments.of(GET + "Transfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding"),
        Arguments.of(GET + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding"),
        Arguments.of(GET + "Content-Length: 3\r\nContent-Length: 3\r\n\r\n", "more than one Content-Length"),
        Arguments.of(GET + "Content-Length: 3, 3\r\n\r\n", "Content-Length: not a number"),
        Arguments.of(GET + "Content-Length: -1\r\n\r\n", "Content-Length: not a number"),
        Arguments.of(GET + "Content-Length: +3\r\n\r\n", "Content-Length: not a number"),
        Arguments.of(GET + "Content-Length: \r\n\r\n", "Content-Length: not a number"),
        Arguments.of(GET + "Content-Length: 9999999999999999\r\n\r\n", "Content-Length: not a number"),
        // line ends and field syntax two parsers could read differently
        Arguments.of("GET / HTTP/1.1\nHost: h\r\n\r\n", "request line: not ended by CRLF"),
        Arguments.of(GET + "Accept: */*\n\r\n", "header field: a value of visible ASCII ended by CRLF"),
        Arguments.of(GET + "Accept: */*\r\n\nX: 1\r\n\r\n", "header field: a token name then a colon"),
        Arguments.of(GET + "Accept: a\rb\r\n\r\n", "header field: a CR not followed by LF"),
        Arguments.of(GET + "Accept: a\r\r\n\r\n", "header field: a CR not followed by LF"),
        Arguments.of(GET + "\rX\r\n", "header section: a CR not followed by LF"),
        Arguments.of(GET + "Accept: a\r\n b\r\n\r\n", "header field: a token name then a colon"),
        Arguments.of(GET + "Accept: a\r\n\tb\r\n\r\n", "header field: a token name then a colon"),
        Arguments.of(GET + "Content-Length : 3\r\n\r\n", "header field: a token name then a colon"),
        Arguments.of(GET + "Bad[name]: 1\r\n\r\n", "header field: a token name then a colon"),
        Arguments.of(GET + ": empty\r\n\r\n", "header field: a token name then a colon"),
        Arguments.of(GET + "Accept: caf\u00e9\r\n\r\n", "header field: a value of visible ASCII ended by CRLF"),
        Arguments.of(GET + "Accept: a\u0000b\r\n\r\n", "header field: a value of visible ASCII ended by CRLF"),
        // the request line
        Arguments.of("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", "request line: an origin-form target then one space"),
        Arguments.of("GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n",
            "request line: an origin-form target then one space"),
        Arguments.of("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "request line: an origin-form target then one space"),
        Arguments.of("GET / HTTP/1.0\r\nHost: h\r\n\r\n", "request line: not HTTP/1.1"),
        Arguments.of("GET / HTTP/2.0\r\nHost: h\r\n\r\n", "request line: not HTTP/1.1"),
        Arguments.of("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "request line: an origin-form target then one space"),
        Arguments.of("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", "request line: a method token then one space"),
        Arguments.of(" GET / HTTP/1.1\r\nHost: h\r\n\r\n", "request line: a method token then one space"),
        Arguments.of("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", "request line: a method token then one space"),
        Arguments.of("\u0016\u0003\u0001\u0002\u0000", "request line: a method token then one space"), // TLS hello
        Arguments.of("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", "request line: not ended by CRLF"),
        // what the full server does for us: 100-continue, protocol switches, hop-by-hop names, Host rules
        Arguments.of(GET + "Expect: 100-continue\r\nContent-Length: 3\r\n\r\n", "Expect"),
        Arguments.of(GET + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
            "Connection: other than close or keep-alive"),
        Arguments.of(GET + "Upgrade: h2c\r\n\r\n", "Upgrade"),
        Arguments.of(GET + "pulse-async: true\r\n\r\n", "Pulse-Async"),
        Arguments.of(GET + "Connection: close, X-Secret\r\n\r\n", "Connection: other than close or keep-alive"),
        Arguments.of("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", "no Host"),
        Arguments.of("GET / HTTP/1.1\r\nHost: \r\n\r\n", "no Host"),
        Arguments.of(GET + "Host: other\r\n\r\n", "more than one Host"),
        Arguments.of(GET + "X-Forwarded-For: 1.2.3.4\r\nX-Forwarded-For: 5.6.7.8\r\n\r\n",
            "more than one X-Forwarded-For"));
  }

  @ParameterizedTest
  @MethodSource
  void handedOver(String input, String reason) {
    assertThat(RawRequestHead.parse(bytes(input))).isEqualTo(new HandOver(reason));
  }

  @Test
  void parse_ofARequestLineOrHeaderFieldsTheListenerWouldRefuse_isHandedOver_whole_orAsItComes() {
    String longTarget = "/fn/hello/" + "a".repeat(RawRequestHead.MAX_REQUEST_LINE_BYTES);
    String lineTooLong = "request line longer than " + RawRequestHead.MAX_REQUEST_LINE_BYTES + " bytes";
    assertThat(RawRequestHead.parse(bytes("GET " + longTarget + " HTTP/1.1\r\nHost: h\r\n\r\n")))
        .isEqualTo(new HandOver(lineTooLong));
    assertThat(RawRequestHead.parse(bytes("GET " + longTarget))).isEqualTo(new HandOver(lineTooLong));

    String fields = "X-Padding: " + "x".repeat(1_000) + "\r\n";
    assertThat(RawRequestHead.parse(bytes(GET + fields + "\r\n"), 1_000))
        .isEqualTo(new HandOver("header fields longer than 1000 bytes"));
    assertThat(RawRequestHead.parse(bytes(GET + fields), 1_000))
        .isEqualTo(new HandOver("header fields longer than 1000 bytes"));
    assertThat(RawRequestHead.parse(bytes(GET + fields + "\r\n"), 2_000)).isInstanceOf(Parsed.class);
  }

  @Test
  void parse_ofAHeadAtTheSizeLimit_isHandedOver_andOfOneWithTooManyFields_too() {
    String longValue = "a".repeat(RawRequestHead.MAX_HEAD_BYTES);
    assertThat(RawRequestHead.parse(bytes(GET + "X-Long: " + longValue)))
        .isEqualTo(new HandOver("head longer than " + RawRequestHead.MAX_HEAD_BYTES + " bytes"));
    assertThat(RawRequestHead.parse(bytes(GET + "X-Long: " + longValue.substring(0, 100))))
        .isInstanceOf(Incomplete.class);
    assertThat(RawRequestHead.parse(bytes(GET + "X: 1\r\n".repeat(RawRequestHead.MAX_HEADERS) + "\r\n")))
        .isEqualTo(new HandOver("more than " + RawRequestHead.MAX_HEADERS + " header fields"));
    assertThat(RawRequestHead.parse(bytes(GET + "X: 1\r\n".repeat(RawRequestHead.MAX_HEADERS - 1) + "\r\n")))
        .isInstanceOf(Parsed.class);
  }

  @Test
  void writeForwarded_keepsEndToEndLinesAsSent_andSetsHostAndTheForwardingHeadersAsProxyHeadersDoes() {
    String head = "PUT /fn/hello/path?q=1 HTTP/1.1\r\nHost: hello.example\r\nAccept:  text/plain\r\n"
        + "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: x\r\n"
        + "X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Host: spoofed\r\nX-Forwarded-Proto: spoofed\r\n"
        + "Content-Length: 2\r\nx-custom: a, b\r\n\r\n";
    ByteBuf source = bytes(head + "hi");
    RawRequestHead parsed = parsed(source);
    ByteBuf out = Unpooled.buffer();

    parsed.writeForwarded(source, out, "/path?q=1", ascii("127.0.0.1:9000"), ascii("192.168.1.7"), ascii("http"));

    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("PUT /path?q=1 HTTP/1.1\r\n"
        + "Host: 127.0.0.1:9000\r\nAccept:  text/plain\r\nContent-Length: 2\r\nx-custom: a, b\r\n"
        + "X-Forwarded-For: 10.0.0.1, 192.168.1.7\r\nX-Forwarded-Host: hello.example\r\n"
        + "X-Forwarded-Proto: http\r\n\r\n");
    assertThat(source.readerIndex()).isZero();
  }

  @Test
  void writeForwarded_withoutAPriorForwardedFor_orAClientAddress() {
    ByteBuf source = bytes(GET + "\r\n");
    ByteBuf out = Unpooled.buffer();
    parsed(source).writeForwarded(source, out, "/", ascii("i:1"), ascii("::1"), ascii("https"));
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1\r\nHost: i:1\r\n"
        + "X-Forwarded-For: ::1\r\nX-Forwarded-Host: hello.fn.local\r\nX-Forwarded-Proto: https\r\n\r\n");

    ByteBuf prior = bytes(GET + "X-Forwarded-For: 10.0.0.1\r\n\r\n");
    ByteBuf noClient = Unpooled.buffer();
    parsed(prior).writeForwarded(prior, noClient, "/", ascii("i:1"), null, ascii("http"));
    assertThat(noClient.toString(StandardCharsets.US_ASCII)).contains("X-Forwarded-For: 10.0.0.1\r\n");
  }

  private static RawRequestHead parsed(ByteBuf bytes) {
    Parse parse = RawRequestHead.parse(bytes);
    assertThat(parse).isInstanceOf(Parsed.class);
    return ((Parsed) parse).head();
  }

  private static byte[] ascii(String text) {
    return HeadBytes.ascii(text);
  }

  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }
}
