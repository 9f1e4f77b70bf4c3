package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.pulse.common.http.ListenerOptions;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 request head read in place from the bytes a client sent, for a byte-level forwarder: where the head
 * ends, what routing and framing need (method, target, Host, Content-Length, whether the client wants the connection
 * closed), and which header lines go on to the instance. Strict on purpose: it accepts only the plain, unambiguous
 * form (origin-form target, {@code HTTP/1.1}, CRLF line ends, token names with the colon right after, visible ASCII
 * values, one Host, at most one Content-Length of digits, no Transfer-Encoding, Expect or Upgrade, a Connection
 * header of {@code close}/{@code keep-alive} only) and hands everything else over to the full HTTP server, whose
 * framing checks ({@code RequestFraming}) and error answers stay the only ones. So a request two parsers could read
 * differently (smuggling) never takes this path. Pure: reads the buffer, never moves its indexes.
 */
final class RawRequestHead {

  /** What {@link #parse} found. */
  sealed interface Parse permits Incomplete, HandOver, Parsed {}

  /** The head is not all there yet (no empty line within the bytes given): read more. */
  record Incomplete() implements Parse {}

  /** Not for the byte-level path; {@code reason} says why (for tests and logs). */
  record HandOver(String reason) implements Parse {}

  /** A head this path can forward. */
  record Parsed(RawRequestHead head) implements Parse {}

  /** Longer heads go to the full server, which answers them with its own limits (Vert.x: 8 KiB of headers). */
  static final int MAX_HEAD_BYTES = 8_192;

  /**
   * Longer request lines (their CRLF included) go to the full server, whose decoder refuses them (414): Vert.x's
   * bound, which the gateway leaves as it is.
   */
  static final int MAX_REQUEST_LINE_BYTES = HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH;

  static final int MAX_HEADERS = 100;

  private static final Incomplete INCOMPLETE = new Incomplete();

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] HTTP_1_1 = HeadBytes.ascii("HTTP/1.1");
  private static final int CRLF = CR << 8 | LF; // as one big-endian short
  private static final byte[] VERSION_THEN_HOST = HeadBytes.ascii(" HTTP/1.1\r\nHost: ");
  private static final byte[] FORWARDED_FOR = HeadBytes.ascii("X-Forwarded-For: ");
  private static final byte[] FORWARDED_HOST = HeadBytes.ascii("X-Forwarded-Host: ");
  private static final byte[] FORWARDED_PROTO = HeadBytes.ascii("\r\nX-Forwarded-Proto: ");
  private static final byte[] CLOSE = HeadBytes.ascii("close");
  private static final byte[] KEEP_ALIVE = HeadBytes.ascii("keep-alive");
  /** Methods read without a new string each time. */
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"};

  // Header names this path acts on, lower case; compared without case.
  private static final byte[] HOST = HeadBytes.ascii("host");
  private static final byte[] CONTENT_LENGTH = HeadBytes.ascii("content-length");
  private static final byte[] TRANSFER_ENCODING = HeadBytes.ascii("transfer-encoding");
  private static final byte[] CONNECTION = HeadBytes.ascii("connection");
  private static final byte[] EXPECT = HeadBytes.ascii("expect");
  /** An async invocation: stored by the control plane, not forwarded (AsyncTarget). */
  private static final byte[] PULSE_ASYNC = HeadBytes.ascii("pulse-async");
  private static final byte[] UPGRADE = HeadBytes.ascii("upgrade");
  private static final byte[] X_FORWARDED_FOR = HeadBytes.ascii("x-forwarded-for");
  /** Not forwarded (ProxyHeaders' hop-by-hop set, and what the forwarder sets itself). */
  private static final byte[][] DROPPED = {HeadBytes.ascii("keep-alive"), HeadBytes.ascii("proxy-authenticate"),
      HeadBytes.ascii("proxy-authorization"), HeadBytes.ascii("proxy-connection"), HeadBytes.ascii("te"), HeadBytes.ascii("trailer"),
      HeadBytes.ascii("x-forwarded-host"), HeadBytes.ascii("x-forwarded-proto")};

  /** tchar of RFC 9110 section 5.6.2. */
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[Character.toUpperCase(c)] = true;
    }
  }

  private final String method;
  private final String target;
  private final String host;
  private final long contentLength;
  private final boolean close;
  private final @Nullable String forwardedFor;
  private final int hostStart; // where the Host value lies in the head
  private final int hostEnd;
  private final int length;
  private final int[] keptLines;
  private final int keptCount;

  private RawRequestHead(String method, String target, String host, long contentLength, boolean close,
      @Nullable String forwardedFor, int hostStart, int hostEnd, int length, int[] keptLines, int keptCount) {
    this.method = method;
    this.target = target;
    this.host = host;
    this.contentLength = contentLength;
    this.close = close;
    this.forwardedFor = forwardedFor;
    this.hostStart = hostStart;
    this.hostEnd = hostEnd;
    this.length = length;
    this.keptLines = keptLines;
    this.keptCount = keptCount;
  }

  String method() {
    return method;
  }

  /** The request target as sent (origin-form: path and query). */
  String target() {
    return target;
  }

  /** The Host header as sent. */
  String host() {
    return host;
  }

  /** The body's length: 0 without a Content-Length (no Transfer-Encoding here, so no body). */
  long contentLength() {
    return contentLength;
  }

  /** True when the client asked to close the connection after the answer. */
  boolean close() {
    return close;
  }

  /** The client's X-Forwarded-For, null without one. */
  @Nullable String forwardedFor() {
    return forwardedFor;
  }

  /** The head's length in bytes, the empty line included: the body starts there. */
  int length() {
    return length;
  }

  /** {@link #parse(ByteBuf, int)} under the listeners' default header limit. */
  static Parse parse(ByteBuf bytes) {
    return parse(bytes, ListenerOptions.DEFAULT_MAX_HEADER_BYTES);
  }

  /**
   * Parses the head at the start of {@code bytes}' readable bytes. Never throws on input: malformed or unusual
   * heads are {@link HandOver}s, and so are heads the listener's decoder would refuse as too long (a request line over
   * {@link #MAX_REQUEST_LINE_BYTES}, header fields over {@code maxHeaderBytes}), for it to answer them.
   */
  static Parse parse(ByteBuf bytes, int maxHeaderBytes) {
    int end = Math.min(bytes.readableBytes(), MAX_HEAD_BYTES);
    byte[] a = HeadBytes.copy(bytes, end); // positions below are relative to the reader index
    // The request line: method SP origin-form SP HTTP/1.1 CRLF.
    int i = tokenEnd(a, 0, end);
    if (i == end) {
      return lineIncompleteOrTooLong(end);
    }
    if (i == 0 || a[i] != ' ') {
      return new HandOver("request line: a method token then one space");
    }
    int methodEnd = i;
    int targetStart = ++i;
    while (i < end && visible(a[i])) {
      i++;
    }
    if (i == end) {
      return lineIncompleteOrTooLong(end);
    }
    if (i == targetStart || a[targetStart] != '/' || a[i] != ' ') {
      return new HandOver("request line: an origin-form target then one space");
    }
    int targetEnd = i++;
    for (byte b : HTTP_1_1) {
      if (i == end) {
        return lineIncompleteOrTooLong(end);
      }
      if (a[i++] != b) {
        return new HandOver("request line: not HTTP/1.1");
      }
    }
    if (end - i < 2) {
      return lineIncompleteOrTooLong(end);
    }
    if (a[i] != CR || a[i + 1] != LF) {
      return new HandOver("request line: not ended by CRLF");
    }
    i += 2;
    if (i > MAX_REQUEST_LINE_BYTES) {
      return new HandOver("request line longer than " + MAX_REQUEST_LINE_BYTES + " bytes");
    }
    int headersStart = i;
    int[] kept = new int[16];
    int keptCount = 0;
    int headers = 0;
    String host = null;
    int hostStart = 0;
    int hostEnd = 0;
    long contentLength = -1;
    boolean close = false;
    String forwardedFor = null;
    while (true) {
      if (end - i < 2) {
        return headersIncompleteOrTooLong(end, headersStart, maxHeaderBytes);
      }
      if (a[i] == CR) {
        if (a[i + 1] != LF) {
          return new HandOver("header section: a CR not followed by LF");
        }
        i += 2;
        break;
      }
      if (++headers > MAX_HEADERS) {
        return new HandOver("more than " + MAX_HEADERS + " header fields");
      }
      int lineStart = i;
      i = tokenEnd(a, i, end);
      if (i == end) {
        return headersIncompleteOrTooLong(end, headersStart, maxHeaderBytes);
      }
      if (i == lineStart || a[i] != ':') {
        // obs-fold (a line starting with whitespace), space before the colon, a bare LF, a non-token name
        return new HandOver("header field: a token name then a colon");
      }
      int nameEnd = i++;
      while (i < end && HeadBytes.ows(a[i])) {
        i++;
      }
      int valueStart = i;
      int valueEnd = i;
      while (i < end && (visible(a[i]) || HeadBytes.ows(a[i]))) {
        if (!HeadBytes.ows(a[i])) {
          valueEnd = i + 1;
        }
        i++;
      }
      if (i < end && a[i] != CR) {
        return new HandOver("header field: a value of visible ASCII ended by CRLF");
      }
      if (end - i < 2) {
        return headersIncompleteOrTooLong(end, headersStart, maxHeaderBytes);
      }
      if (a[i + 1] != LF) {
        return new HandOver("header field: a CR not followed by LF");
      }
      i += 2;
      boolean keep = true;
      if (HeadBytes.named(a, lineStart, nameEnd, TRANSFER_ENCODING)) {
        return new HandOver("Transfer-Encoding");
      } else if (HeadBytes.named(a, lineStart, nameEnd, EXPECT)) {
        return new HandOver("Expect");
      } else if (HeadBytes.named(a, lineStart, nameEnd, PULSE_ASYNC)) {
        return new HandOver("Pulse-Async");
      } else if (HeadBytes.named(a, lineStart, nameEnd, UPGRADE)) {
        return new HandOver("Upgrade");
      } else if (HeadBytes.named(a, lineStart, nameEnd, HOST)) {
        if (host != null) {
          return new HandOver("more than one Host");
        }
        host = HeadBytes.ascii(a, valueStart, valueEnd);
        hostStart = valueStart;
        hostEnd = valueEnd;
        keep = false;
      } else if (HeadBytes.named(a, lineStart, nameEnd, CONTENT_LENGTH)) {
        if (contentLength >= 0) {
          return new HandOver("more than one Content-Length");
        }
        contentLength = HeadBytes.digits(a, valueStart, valueEnd);
        if (contentLength < 0) {
          return new HandOver("Content-Length: not a number");
        }
      } else if (HeadBytes.named(a, lineStart, nameEnd, CONNECTION)) {
        // Only the two options that name no other header: with others, those headers would have to go too.
        if (HeadBytes.named(a, valueStart, valueEnd, CLOSE)) {
          close = true;
        } else if (!HeadBytes.named(a, valueStart, valueEnd, KEEP_ALIVE)) {
          return new HandOver("Connection: other than close or keep-alive");
        }
        keep = false;
      } else if (HeadBytes.named(a, lineStart, nameEnd, X_FORWARDED_FOR)) {
        if (forwardedFor != null) {
          return new HandOver("more than one X-Forwarded-For");
        }
        forwardedFor = HeadBytes.ascii(a, valueStart, valueEnd);
        keep = false;
      } else if (dropped(a, lineStart, nameEnd)) {
        keep = false;
      }
      if (keep) {
        if (keptCount * 2 == kept.length) {
          kept = Arrays.copyOf(kept, kept.length * 2);
        }
        kept[keptCount * 2] = lineStart;
        kept[keptCount * 2 + 1] = i;
        keptCount++;
      }
    }
    if (i - headersStart > maxHeaderBytes) {
      return new HandOver("header fields longer than " + maxHeaderBytes + " bytes");
    }
    if (host == null || host.isEmpty()) {
      return new HandOver("no Host");
    }
    return new Parsed(new RawRequestHead(method(a, methodEnd), HeadBytes.ascii(a, targetStart, targetEnd), host,
        Math.max(0, contentLength), close, forwardedFor, hostStart, hostEnd, i, kept, keptCount));
  }

  /**
   * Writes to {@code out} the head to send to the instance, for the head parsed at {@code source}'s reader index:
   * the request line with {@code uri} as its target, the header lines kept as they came (bytes copied, no strings),
   * then Host (the instance's {@code authority}) and the X-Forwarded-* headers as {@link ProxyHeaders} sets them. The
   * values a connection repeats come as bytes, encoded once.
   */
  void writeForwarded(ByteBuf source, ByteBuf out, String uri, byte[] authority, byte @Nullable [] clientAddress,
      byte[] scheme) {
    int start = source.readerIndex();
    out.writeBytes(source, start, method.length()); // the request line starts with the method, as parsed
    out.writeByte(' ');
    out.writeBytes(uri.getBytes(StandardCharsets.ISO_8859_1)); // as Netty writes a string: '?' past 0xFF
    out.writeBytes(VERSION_THEN_HOST);
    out.writeBytes(authority);
    out.writeShort(CRLF);
    for (int k = 0; k < keptCount; k++) {
      out.writeBytes(source, start + keptLines[k * 2], keptLines[k * 2 + 1] - keptLines[k * 2]);
    }
    if (clientAddress != null) {
      out.writeBytes(FORWARDED_FOR);
      if (forwardedFor != null && !forwardedFor.isBlank()) {
        out.writeCharSequence(forwardedFor, StandardCharsets.US_ASCII);
        out.writeByte(',').writeByte(' ');
      }
      out.writeBytes(clientAddress);
      out.writeShort(CRLF);
    } else if (forwardedFor != null) {
      out.writeBytes(FORWARDED_FOR);
      out.writeCharSequence(forwardedFor, StandardCharsets.US_ASCII);
      out.writeShort(CRLF);
    }
    out.writeBytes(FORWARDED_HOST);
    out.writeBytes(source, start + hostStart, hostEnd - hostStart);
    out.writeBytes(FORWARDED_PROTO);
    out.writeBytes(scheme);
    out.writeInt(CRLF << 16 | CRLF);
  }


  /** Out of bytes ({@code read} of them): more may come, unless the head is already at the limit. */
  private static Parse incompleteOrTooLong(int read) {
    return read >= MAX_HEAD_BYTES ? new HandOver("head longer than " + MAX_HEAD_BYTES + " bytes") : INCOMPLETE;
  }

  /** Out of bytes within the request line: more may come, unless the line is already over its limit. */
  private static Parse lineIncompleteOrTooLong(int read) {
    return read >= MAX_REQUEST_LINE_BYTES
        ? new HandOver("request line longer than " + MAX_REQUEST_LINE_BYTES + " bytes") : incompleteOrTooLong(read);
  }

  /** Out of bytes within the header fields: more may come, unless they are already over their limit. */
  private static Parse headersIncompleteOrTooLong(int read, int headersStart, int maxHeaderBytes) {
    Parse parse = incompleteOrTooLong(read);
    return parse == INCOMPLETE && read - headersStart > maxHeaderBytes
        ? new HandOver("header fields longer than " + maxHeaderBytes + " bytes") : parse;
  }

  /** The method {@code a[0, end)}: the common ones without a new string. */
  private static String method(byte[] a, int end) {
    for (String common : METHODS) {
      if (sameAs(a, end, common)) {
        return common;
      }
    }
    return HeadBytes.ascii(a, 0, end);
  }

  /** True when {@code a[0, end)} is {@code text}, case and all. */
  private static boolean sameAs(byte[] a, int end, String text) {
    if (text.length() != end) {
      return false;
    }
    for (int k = 0; k < end; k++) {
      if (a[k] != text.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean dropped(byte[] a, int from, int to) {
    for (byte[] name : DROPPED) {
      if (HeadBytes.named(a, from, to, name)) {
        return true;
      }
    }
    return false;
  }

  /** Where the run of token characters from {@code from} ends ({@code end} if it reaches it). */
  private static int tokenEnd(byte[] a, int from, int end) {
    int i = from;
    while (i < end && tchar(a[i])) {
      i++;
    }
    return i;
  }

  private static boolean tchar(byte b) {
    return b > 0 && TCHAR[b];
  }

  /** VCHAR: visible ASCII (obs-text, bytes above 0x7F, is handed over). */
  private static boolean visible(byte b) {
    return b > 0x20 && b < 0x7F;
  }
}
