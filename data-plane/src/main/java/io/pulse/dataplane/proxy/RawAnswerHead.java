package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The head of an instance's answer read in place, for the byte-level forwarder: the status, how the body is framed
 * (Content-Length, chunked, until the close, or none), whether the instance closes the connection after it, and which
 * header lines go on to the client. Header lines may end in a bare LF, as the Vert.x path reads them
 * ({@link BareLineFeedResponses}); the head written for the client always ends its lines in CRLF. Anything else
 * unusual (obs-fold, a space before the colon, two Content-Lengths, a Transfer-Encoding other than {@code chunked},
 * both framings, 101, a status line that is not HTTP/1.x) is {@link Malformed}: the instance's answer cannot be
 * relayed, as on the Vert.x path, whose client fails on it too. Pure: reads the buffer, never moves its indexes.
 */
final class RawAnswerHead {

  /** What {@link #parse} found. */
  sealed interface Parse permits Incomplete, Malformed, Parsed {}

  /** The head is not all there yet: read more. */
  record Incomplete() implements Parse {}

  /** Not an answer this path can relay; {@code reason} says why. */
  record Malformed(String reason) implements Parse {}

  /** A head this path can relay. */
  record Parsed(RawAnswerHead head) implements Parse {}

  /** How the answer's body ends. */
  enum Body {
    /** No body (HEAD, 1xx, 204, 304). */
    NONE,
    /** After {@link #contentLength()} bytes. */
    LENGTH,
    /** At the last chunk and its trailer section ({@link ChunkedBody}). */
    CHUNKED,
    /** When the instance closes the connection. */
    UNTIL_CLOSE
  }

  /** Netty's default limits for the Vert.x client: 4 KiB of status line, 8 KiB of headers. */
  static final int MAX_HEAD_BYTES = 4_096 + 8_192;

  private static final Incomplete INCOMPLETE = new Incomplete();
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  /** Never relayed (ProxyHeaders' hop-by-hop set; the framing header is written again by this path). */
  private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

  private final int status;
  private final Body body;
  private final long contentLength;
  private final boolean close;
  private final int length;
  private final int reasonStart;
  private final int reasonEnd;
  private final int[] keptLines; // start, end pairs relative to the head's start, line ends excluded
  private final int keptCount;

  private RawAnswerHead(int status, Body body, long contentLength, boolean close, int length, int reasonStart,
      int reasonEnd, int[] keptLines, int keptCount) {
    this.status = status;
    this.body = body;
    this.contentLength = contentLength;
    this.close = close;
    this.length = length;
    this.reasonStart = reasonStart;
    this.reasonEnd = reasonEnd;
    this.keptLines = keptLines;
    this.keptCount = keptCount;
  }

  int status() {
    return status;
  }

  /** An interim answer (1xx): the client is not told; the final answer follows on the same connection. */
  boolean interim() {
    return status < 200;
  }

  Body body() {
    return body;
  }

  /** The body's length for {@link Body#LENGTH}, else 0. */
  long contentLength() {
    return contentLength;
  }

  /** True when the instance closes the connection after this answer (it said so, HTTP/1.0, or a body until close). */
  boolean close() {
    return close;
  }

  /** The head's length in bytes, the empty line included: the body starts there. */
  int length() {
    return length;
  }

  /**
   * Parses the head at the start of {@code bytes}' readable bytes. {@code headRequest}: the request was a HEAD, so the
   * answer has no body whatever its headers say. Never throws on input.
   */
  static Parse parse(ByteBuf bytes, boolean headRequest) {
    int start = bytes.readerIndex();
    int end = Math.min(bytes.writerIndex(), start + MAX_HEAD_BYTES);
    // The status line: HTTP/1.x SP 3DIGIT [SP reason] line end.
    String prefix = "HTTP/1.";
    int i = start;
    for (int k = 0; k < prefix.length(); k++, i++) {
      if (i == end) {
        return incompleteOrTooLong(bytes, start);
      }
      if (bytes.getByte(i) != prefix.charAt(k)) {
        return new Malformed("status line: not HTTP/1.x");
      }
    }
    if (end - i < 5) {
      return incompleteOrTooLong(bytes, start);
    }
    byte minor = bytes.getByte(i);
    if ((minor != '0' && minor != '1') || bytes.getByte(i + 1) != ' ') {
      return new Malformed("status line: not HTTP/1.0 or HTTP/1.1");
    }
    boolean http10 = minor == '0';
    i += 2;
    int status = 0;
    for (int k = 0; k < 3; k++, i++) {
      byte b = bytes.getByte(i);
      if (b < '0' || b > '9') {
        return new Malformed("status line: a three-digit status");
      }
      status = status * 10 + (b - '0');
    }
    if (status < 100 || status == 101) {
      return new Malformed("status line: status " + status);
    }
    int reasonStart = i - start;
    while (i < end && bytes.getByte(i) != LF) {
      byte b = bytes.getByte(i);
      if (b == 0 || (b == CR && i + 1 < end && bytes.getByte(i + 1) != LF)) {
        return new Malformed("status line: a NUL or a CR inside");
      }
      i++;
    }
    if (i == end) {
      return incompleteOrTooLong(bytes, start);
    }
    int reasonEnd = (bytes.getByte(i - 1) == CR ? i - 1 : i) - start;
    if (reasonEnd > reasonStart && bytes.getByte(start + reasonStart) != ' ') {
      return new Malformed("status line: a space after the status");
    }
    i++;
    List<int[]> lines = new ArrayList<>(16); // start, nameEnd, valueStart, valueEnd, lineEnd (absolute)
    long contentLength = -1;
    boolean chunked = false;
    boolean close = http10;
    List<String> connectionNames = new ArrayList<>(0);
    while (true) {
      if (i == end) {
        return incompleteOrTooLong(bytes, start);
      }
      if (bytes.getByte(i) == LF) {
        i++;
        break;
      }
      if (bytes.getByte(i) == CR) {
        if (i + 1 == end) {
          return incompleteOrTooLong(bytes, start);
        }
        if (bytes.getByte(i + 1) != LF) {
          return new Malformed("header section: a CR not followed by LF");
        }
        i += 2;
        break;
      }
      int lineStart = i;
      while (i < end && tchar(bytes.getByte(i))) {
        i++;
      }
      if (i == end) {
        return incompleteOrTooLong(bytes, start);
      }
      if (i == lineStart || bytes.getByte(i) != ':') {
        return new Malformed("header field: a token name then a colon");
      }
      int nameEnd = i++;
      while (i < end && ows(bytes.getByte(i))) {
        i++;
      }
      int valueStart = i;
      int valueEnd = i;
      while (i < end && bytes.getByte(i) != LF) {
        byte b = bytes.getByte(i);
        if (b == CR) {
          if (i + 1 == end) {
            return incompleteOrTooLong(bytes, start);
          }
          if (bytes.getByte(i + 1) != LF) {
            return new Malformed("header field: a CR not followed by LF");
          }
        } else if (b == 0 || (b < 0x20 && b != '\t') || b == 0x7F) {
          return new Malformed("header field: a control character in a value");
        } else if (!ows(b)) {
          valueEnd = i + 1;
        }
        i++;
      }
      if (i == end) {
        return incompleteOrTooLong(bytes, start);
      }
      i++; // the LF
      if (i < end && ows(bytes.getByte(i))) {
        return new Malformed("header field: obs-fold");
      }
      String name = ascii(bytes, lineStart, nameEnd).toLowerCase(Locale.ROOT);
      String value = ascii(bytes, valueStart, valueEnd);
      switch (name) {
        case "content-length" -> {
          if (contentLength >= 0) {
            return new Malformed("more than one Content-Length");
          }
          contentLength = digits(value);
          if (contentLength < 0) {
            return new Malformed("Content-Length: not a number");
          }
        }
        case "transfer-encoding" -> {
          if (chunked || !value.equalsIgnoreCase("chunked")) {
            return new Malformed("Transfer-Encoding: other than one chunked");
          }
          chunked = true;
        }
        case "connection" -> {
          for (String option : value.split(",")) {
            String token = option.strip().toLowerCase(Locale.ROOT);
            if (token.equals("close")) {
              close = true;
            } else if (token.equals("keep-alive") && http10) {
              close = false;
            } else if (!token.isEmpty()) {
              connectionNames.add(token);
            }
          }
        }
        default -> {}
      }
      lines.add(new int[] {lineStart, nameEnd, valueStart, valueEnd});
      if (lines.size() > RawRequestHead.MAX_HEADERS) {
        return new Malformed("more than " + RawRequestHead.MAX_HEADERS + " header fields");
      }
    }
    if (chunked && contentLength >= 0) {
      return new Malformed("both Content-Length and Transfer-Encoding");
    }
    if (chunked && http10) {
      return new Malformed("Transfer-Encoding in an HTTP/1.0 answer");
    }
    Body body;
    if (headRequest || status < 200 || status == 204 || status == 304) {
      body = Body.NONE;
    } else if (chunked) {
      body = Body.CHUNKED;
    } else if (contentLength >= 0) {
      body = Body.LENGTH;
    } else {
      body = Body.UNTIL_CLOSE;
      close = true;
    }
    int[] kept = new int[lines.size() * 2];
    int keptCount = 0;
    for (int[] line : lines) {
      String name = ascii(bytes, line[0], line[1]).toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !connectionNames.contains(name)) {
        kept[keptCount * 2] = line[0] - start;
        kept[keptCount * 2 + 1] = line[3] - start;
        keptCount++;
      }
    }
    return new Parsed(new RawAnswerHead(status, body, body == Body.LENGTH ? contentLength : 0, close, i - start,
        reasonStart, reasonEnd, kept, keptCount));
  }

  /**
   * Writes the head for the client, for the head parsed at {@code source}'s reader index: an HTTP/1.1 status line with
   * the instance's status and reason, the end-to-end header lines as they came (line ends made CRLF), then the
   * framing: {@code Transfer-Encoding: chunked} for a chunked body and for one that ends with the close (which the
   * caller chunks, as Vert.x does), and {@code Connection: close} when {@code closeClient}.
   */
  void writeForClient(ByteBuf source, ByteBuf out, boolean closeClient) {
    int start = source.readerIndex();
    out.writeCharSequence("HTTP/1.1 ", StandardCharsets.US_ASCII);
    out.writeBytes(source, start + reasonStart - 3, reasonEnd - reasonStart + 3);
    out.writeByte(CR).writeByte(LF);
    for (int k = 0; k < keptCount; k++) {
      int from = keptLines[k * 2];
      out.writeBytes(source, start + from, keptLines[k * 2 + 1] - from);
      out.writeByte(CR).writeByte(LF);
    }
    if (body == Body.CHUNKED || body == Body.UNTIL_CLOSE) {
      out.writeCharSequence("Transfer-Encoding: chunked\r\n", StandardCharsets.US_ASCII);
    }
    if (closeClient) {
      out.writeCharSequence("Connection: close\r\n", StandardCharsets.US_ASCII);
    }
    out.writeByte(CR).writeByte(LF);
  }

  private static Parse incompleteOrTooLong(ByteBuf bytes, int start) {
    return bytes.writerIndex() - start >= MAX_HEAD_BYTES
        ? new Malformed("head longer than " + MAX_HEAD_BYTES + " bytes") : INCOMPLETE;
  }

  private static long digits(String value) {
    if (value.isEmpty() || value.length() > 15) {
      return -1;
    }
    long n = 0;
    for (int k = 0; k < value.length(); k++) {
      char c = value.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static boolean tchar(byte b) {
    return b > 0x20 && b < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
  }

  private static boolean ows(byte b) {
    return b == ' ' || b == '\t';
  }

  private static String ascii(ByteBuf bytes, int from, int to) {
    return bytes.toString(from, to - from, StandardCharsets.US_ASCII);
  }
}
