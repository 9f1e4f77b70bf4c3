package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;

/**
 * A message head's bytes copied out of a buffer once, for the head parsers of the byte-level forwarder, and the byte
 * comparisons they share. Reading a direct buffer byte by byte checks its bounds and reference count on every byte,
 * and turning names into strings to compare them allocates per header: profiled, the two made up most of the
 * parsers' time. One bulk copy into an array of the thread's own, then plain array reads, costs a fraction of that.
 */
final class HeadBytes {

  /** Large enough for either parser's limit. */
  static final int CAPACITY = Math.max(RawRequestHead.MAX_HEAD_BYTES, RawAnswerHead.MAX_HEAD_BYTES);

  private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[CAPACITY];
    }
  };

  /** Per header line of an answer head: start, name end, value end (RawAnswerHead), up to its limit of lines. */
  static final int LINE_SLOTS = 3 * (RawRequestHead.MAX_HEADERS + 1);

  private static final FastThreadLocal<int[]> LINES = new FastThreadLocal<>() {
    @Override
    protected int[] initialValue() {
      return new int[LINE_SLOTS];
    }
  };

  private HeadBytes() {}

  /**
   * An array of {@link #LINE_SLOTS} ints that belongs to the calling thread, for a parser's positions while it reads
   * one head: valid until the thread's next call, never to be kept (profiled: a fresh one per answer was a tenth of
   * the data plane's allocation under warm load).
   */
  static int[] lines() {
    return LINES.get();
  }

  /**
   * The first {@code length} readable bytes of {@code bytes} (at most {@link #CAPACITY}), from index 0 of an array
   * that belongs to the calling thread: valid until the thread's next call, never to be kept.
   */
  static byte[] copy(ByteBuf bytes, int length) {
    byte[] scratch = SCRATCH.get();
    bytes.getBytes(bytes.readerIndex(), scratch, 0, length);
    return scratch;
  }

  /** True when {@code a[from, to)} is {@code lowerCase}, in any case (header names and tokens are ASCII). */
  static boolean named(byte[] a, int from, int to, byte[] lowerCase) {
    if (to - from != lowerCase.length) {
      return false;
    }
    for (int k = 0; k < lowerCase.length; k++) {
      if (lower(a[from + k]) != lowerCase[k]) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code a[from, to)} and {@code a[otherFrom, otherTo)} are the same, in any case. */
  static boolean sameIgnoringCase(byte[] a, int from, int to, int otherFrom, int otherTo) {
    if (to - from != otherTo - otherFrom) {
      return false;
    }
    for (int k = 0; k < to - from; k++) {
      if (lower(a[from + k]) != lower(a[otherFrom + k])) {
        return false;
      }
    }
    return true;
  }

  /** The decimal number in {@code a[from, to)}, or -1 when it is empty, has anything but digits, or is too long. */
  static long digits(byte[] a, int from, int to) {
    if (to == from || to - from > 15) {
      return -1;
    }
    long value = 0;
    for (int k = from; k < to; k++) {
      byte b = a[k];
      if (b < '0' || b > '9') {
        return -1;
      }
      value = value * 10 + (b - '0');
    }
    return value;
  }

  static boolean ows(byte b) {
    return b == ' ' || b == '\t';
  }

  /** {@code a[from, to)} as a string; the parsers have checked that they are ASCII. */
  static String ascii(byte[] a, int from, int to) {
    return new String(a, from, to - from, StandardCharsets.ISO_8859_1);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
  }
}
