package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

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
  private static final int CRLF = CR << 8 | LF; // as one big-endian short

  private static final byte[] HTTP_1 = HeadBytes.ascii("HTTP/1.");
  private static final byte[] CONTENT_LENGTH = HeadBytes.ascii("content-length");
  private static final byte[] TRANSFER_ENCODING = HeadBytes.ascii("transfer-encoding");
  private static final byte[] CONNECTION = HeadBytes.ascii("connection");
  private static final byte[] CHUNKED = HeadBytes.ascii("chunked");
  private static final byte[] CLOSE = HeadBytes.ascii("close");
  private static final byte[] KEEP_ALIVE = HeadBytes.ascii("keep-alive");
  private static final int[] NO_TOKENS = new int[0];
  private static final byte[] HTTP_1_1_SP = HeadBytes.ascii("HTTP/1.1 ");
  private static final byte[] CHUNKED_LINE = HeadBytes.ascii("Transfer-Encoding: chunked\r\n");
  private static final byte[] CLOSE_LINE = HeadBytes.ascii("Connection: close\r\n");

  /** Never relayed (ProxyHeaders' hop-by-hop set; the framing header is written again by this path). */
  private static final byte[][] HOP_BY_HOP = {CONNECTION, KEEP_ALIVE, HeadBytes.ascii("proxy-authenticate"),
      HeadBytes.ascii("proxy-authorization"), HeadBytes.ascii("proxy-connection"), HeadBytes.ascii("te"),
      HeadBytes.ascii("trailer"), TRANSFER_ENCODING, HeadBytes.ascii("upgrade")};

  private final int status;
  private final Body body;
  private final long contentLength;
  private final boolean close;
  private final int length;
  private final int reasonStart;
  private final int reasonEnd;
  private final int[] keptLines; // start, end pairs relative to the head's start, line ends excluded
  private final int keptCount;
  private final boolean asWritten; // writeForClient, without a close for the client, writes the head's own bytes

  private RawAnswerHead(int status, Body body, long contentLength, boolean close, int length, int reasonStart,
      int reasonEnd, int[] keptLines, int keptCount, boolean asWritten) {
    this.status = status;
    this.body = body;
    this.contentLength = contentLength;
    this.close = close;
    this.length = length;
    this.reasonStart = reasonStart;
    this.reasonEnd = reasonEnd;
    this.keptLines = keptLines;
    this.keptCount = keptCount;
    this.asWritten = asWritten;
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

  /**
   * True when the client gets the head's bytes as they came: what {@link #writeForClient} would write is exactly them
   * (HTTP/1.1, CRLF line ends, no trailing space trimmed, no header dropped, a framing the client reads as it is) and
   * the client's connection stays open. Most answers are so; the forwarder then relays them without a copy.
   */
  boolean relayedAsIs(boolean closeClient) {
    return asWritten && !closeClient;
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
    int end = Math.min(bytes.readableBytes(), MAX_HEAD_BYTES);
    byte[] a = HeadBytes.copy(bytes, end); // positions below are relative to the reader index
    // The status line: HTTP/1.x SP 3DIGIT [SP reason] line end.
    int i = 0;
    for (byte b : HTTP_1) {
      if (i == end) {
        return incompleteOrTooLong(end);
      }
      if (a[i++] != b) {
        return new Malformed("status line: not HTTP/1.x");
      }
    }
    if (end - i < 5) {
      return incompleteOrTooLong(end);
    }
    byte minor = a[i];
    if ((minor != '0' && minor != '1') || a[i + 1] != ' ') {
      return new Malformed("status line: not HTTP/1.0 or HTTP/1.1");
    }
    boolean http10 = minor == '0';
    i += 2;
    int status = 0;
    for (int k = 0; k < 3; k++, i++) {
      byte b = a[i];
      if (b < '0' || b > '9') {
        return new Malformed("status line: a three-digit status");
      }
      status = status * 10 + (b - '0');
    }
    if (status < 100 || status == 101) {
      return new Malformed("status line: status " + status);
    }
    int reasonStart = i;
    while (i < end && a[i] != LF) {
      byte b = a[i];
      if (b == 0 || (b == CR && i + 1 < end && a[i + 1] != LF)) {
        return new Malformed("status line: a NUL or a CR inside");
      }
      i++;
    }
    if (i == end) {
      return incompleteOrTooLong(end);
    }
    int reasonEnd = a[i - 1] == CR ? i - 1 : i;
    if (reasonEnd > reasonStart && a[reasonStart] != ' ') {
      return new Malformed("status line: a space after the status");
    }
    i++;
    int[] lines = HeadBytes.lines(); // per header line: start, nameEnd, valueEnd (the kept bytes end there)
    int lineCount = 0;
    int[] connectionTokens = NO_TOKENS; // start, end pairs of the names a Connection header lists
    int tokenCount = 0;
    long contentLength = -1;
    boolean chunked = false;
    boolean close = http10;
    while (true) {
      if (i == end) {
        return incompleteOrTooLong(end);
      }
      if (a[i] == LF) {
        i++;
        break;
      }
      if (a[i] == CR) {
        if (i + 1 == end) {
          return incompleteOrTooLong(end);
        }
        if (a[i + 1] != LF) {
          return new Malformed("header section: a CR not followed by LF");
        }
        i += 2;
        break;
      }
      int lineStart = i;
      while (i < end && tchar(a[i])) {
        i++;
      }
      if (i == end) {
        return incompleteOrTooLong(end);
      }
      if (i == lineStart || a[i] != ':') {
        return new Malformed("header field: a token name then a colon");
      }
      int nameEnd = i++;
      while (i < end && HeadBytes.ows(a[i])) {
        i++;
      }
      int valueStart = i;
      int valueEnd = i;
      while (i < end && a[i] != LF) {
        byte b = a[i];
        if (b == CR) {
          if (i + 1 == end) {
            return incompleteOrTooLong(end);
          }
          if (a[i + 1] != LF) {
            return new Malformed("header field: a CR not followed by LF");
          }
        } else if (b == 0 || (b < 0x20 && b != '\t') || b == 0x7F) {
          return new Malformed("header field: a control character in a value");
        } else if (!HeadBytes.ows(b)) {
          valueEnd = i + 1;
        }
        i++;
      }
      if (i == end) {
        return incompleteOrTooLong(end);
      }
      i++; // the LF
      if (i < end && HeadBytes.ows(a[i])) {
        return new Malformed("header field: obs-fold");
      }
      if (HeadBytes.named(a, lineStart, nameEnd, CONTENT_LENGTH)) {
        if (contentLength >= 0) {
          return new Malformed("more than one Content-Length");
        }
        contentLength = HeadBytes.digits(a, valueStart, valueEnd);
        if (contentLength < 0) {
          return new Malformed("Content-Length: not a number");
        }
      } else if (HeadBytes.named(a, lineStart, nameEnd, TRANSFER_ENCODING)) {
        if (chunked || !HeadBytes.named(a, valueStart, valueEnd, CHUNKED)) {
          return new Malformed("Transfer-Encoding: other than one chunked");
        }
        chunked = true;
      } else if (HeadBytes.named(a, lineStart, nameEnd, CONNECTION)) {
        for (int from = valueStart; from < valueEnd; ) { // comma-separated options, each without its OWS
          int to = from;
          while (to < valueEnd && a[to] != ',') {
            to++;
          }
          int next = to + 1;
          while (from < to && HeadBytes.ows(a[from])) {
            from++;
          }
          while (to > from && HeadBytes.ows(a[to - 1])) {
            to--;
          }
          if (HeadBytes.named(a, from, to, CLOSE)) {
            close = true;
          } else if (HeadBytes.named(a, from, to, KEEP_ALIVE) && http10) {
            close = false;
          } else if (to > from) {
            if (tokenCount * 2 == connectionTokens.length) {
              connectionTokens = Arrays.copyOf(connectionTokens, Math.max(8, connectionTokens.length * 2));
            }
            connectionTokens[tokenCount * 2] = from;
            connectionTokens[tokenCount * 2 + 1] = to;
            tokenCount++;
          }
          from = next;
        }
      }
      lines[lineCount * 3] = lineStart; // room for one line over the limit, refused just below
      lines[lineCount * 3 + 1] = nameEnd;
      lines[lineCount * 3 + 2] = valueEnd;
      lineCount++;
      if (lineCount > RawRequestHead.MAX_HEADERS) {
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
    int[] kept = new int[lineCount * 2];
    int keptCount = 0;
    // The bytes as written for the client are the head's own when nothing is dropped, changed or added.
    boolean asWritten = !http10 && (body == Body.LENGTH || body == Body.NONE) && a[reasonEnd] == CR
        && a[i - 2] == CR;
    for (int k = 0; k < lineCount; k++) {
      int lineStart = lines[k * 3];
      int nameEnd = lines[k * 3 + 1];
      int valueEnd = lines[k * 3 + 2];
      if (!hopByHop(a, lineStart, nameEnd) && !listed(a, lineStart, nameEnd, connectionTokens, tokenCount)) {
        kept[keptCount * 2] = lineStart;
        kept[keptCount * 2 + 1] = valueEnd;
        keptCount++;
        asWritten &= a[valueEnd] == CR; // then LF: the line ends there, in CRLF
      } else {
        asWritten = false;
      }
    }
    return new Parsed(new RawAnswerHead(status, body, body == Body.LENGTH ? contentLength : 0, close, i,
        reasonStart, reasonEnd, kept, keptCount, asWritten));
  }

  /**
   * Writes the head for the client, for the head parsed at {@code source}'s reader index: an HTTP/1.1 status line with
   * the instance's status and reason, the end-to-end header lines as they came (line ends made CRLF), then the
   * framing: {@code Transfer-Encoding: chunked} for a chunked body and for one that ends with the close (which the
   * caller chunks, as Vert.x does), and {@code Connection: close} when {@code closeClient}.
   */
  void writeForClient(ByteBuf source, ByteBuf out, boolean closeClient) {
    int start = source.readerIndex();
    out.writeBytes(HTTP_1_1_SP);
    out.writeBytes(source, start + reasonStart - 3, reasonEnd - reasonStart + 3);
    out.writeShort(CRLF);
    for (int k = 0; k < keptCount; k++) {
      int from = keptLines[k * 2];
      out.writeBytes(source, start + from, keptLines[k * 2 + 1] - from);
      out.writeShort(CRLF);
    }
    if (body == Body.CHUNKED || body == Body.UNTIL_CLOSE) {
      out.writeBytes(CHUNKED_LINE);
    }
    if (closeClient) {
      out.writeBytes(CLOSE_LINE);
    }
    out.writeShort(CRLF);
  }

  /** Out of bytes ({@code read} of them): more may come, unless the head is already at the limit. */
  private static Parse incompleteOrTooLong(int read) {
    return read >= MAX_HEAD_BYTES ? new Malformed("head longer than " + MAX_HEAD_BYTES + " bytes") : INCOMPLETE;
  }

  private static boolean hopByHop(byte[] a, int from, int to) {
    for (byte[] name : HOP_BY_HOP) {
      if (HeadBytes.named(a, from, to, name)) {
        return true;
      }
    }
    return false;
  }

  /** True when the name {@code a[from, to)} is one of the {@code count} names in {@code tokens} (start, end pairs). */
  private static boolean listed(byte[] a, int from, int to, int[] tokens, int count) {
    for (int k = 0; k < count; k++) {
      if (HeadBytes.sameIgnoringCase(a, from, to, tokens[k * 2], tokens[k * 2 + 1])) {
        return true;
      }
    }
    return false;
  }

  private static boolean tchar(byte b) {
    return b > 0x20 && b < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
  }
}
