package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Follows a chunked body (RFC 9112 section 7.1) as its bytes pass, to tell where the message ends: chunk-size lines
 * (hex, optional extensions), the chunks' data and their CRLF, the last chunk, then the trailer section up to its
 * empty line. The bytes themselves are relayed unchanged. Line ends may be bare LFs, as the Vert.x path's client reads
 * them. Incremental over any split of the bytes; one message per instance.
 */
final class ChunkedBody {

  /** {@link #scan} found the body malformed. */
  static final int MALFORMED = -2;
  /** {@link #scan} consumed every byte given: the body goes on. */
  static final int MORE = -1;

  private static final int MAX_LINE = 4_096;

  private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_LINE, TRAILER_END_LF }

  private State state = State.SIZE;
  private long size;
  private int sizeDigits;
  private int lineBytes;
  private long remaining;

  /**
   * Reads the bytes [from, to) of {@code bytes}: answers the index right after the body's last byte when it ends
   * there, {@link #MORE} when it goes on past {@code to}, {@link #MALFORMED} when it cannot be a chunked body.
   */
  int scan(ByteBuf bytes, int from, int to) {
    int i = from;
    while (i < to) {
      switch (state) {
        case DATA -> {
          int take = (int) Math.min(remaining, to - i);
          i += take;
          remaining -= take;
          if (remaining == 0) {
            state = State.DATA_CR;
          }
          continue;
        }
        default -> {}
      }
      byte b = bytes.getByte(i++);
      if (++lineBytes > MAX_LINE) {
        return MALFORMED;
      }
      switch (state) {
        case SIZE -> {
          int digit = Character.digit(b, 16);
          if (digit >= 0) {
            if (++sizeDigits > 15) {
              return MALFORMED;
            }
            size = size * 16 + digit;
          } else if (sizeDigits == 0) {
            return MALFORMED;
          } else if (b == ';' || b == ' ' || b == '\t') {
            state = State.EXTENSION;
          } else if (b == '\r') {
            state = State.SIZE_LF;
          } else if (b == '\n') {
            endOfSizeLine();
          } else {
            return MALFORMED;
          }
        }
        case EXTENSION -> {
          if (b == '\r') {
            state = State.SIZE_LF;
          } else if (b == '\n') {
            endOfSizeLine();
          } else if (b == 0) {
            return MALFORMED;
          }
        }
        case SIZE_LF -> {
          if (b != '\n') {
            return MALFORMED;
          }
          endOfSizeLine();
        }
        case DATA_CR -> {
          if (b == '\r') {
            state = State.DATA_LF;
          } else if (b == '\n') {
            nextChunk();
          } else {
            return MALFORMED;
          }
        }
        case DATA_LF -> {
          if (b != '\n') {
            return MALFORMED;
          }
          nextChunk();
        }
        case TRAILER_START -> {
          if (b == '\r') {
            state = State.TRAILER_END_LF;
          } else if (b == '\n') {
            return i;
          } else {
            state = State.TRAILER_LINE;
          }
        }
        case TRAILER_LINE -> {
          if (b == '\n') {
            state = State.TRAILER_START;
            lineBytes = 0;
          }
        }
        case TRAILER_END_LF -> {
          if (b != '\n') {
            return MALFORMED;
          }
          return i;
        }
        default -> throw new IllegalStateException(state.name());
      }
    }
    return MORE;
  }

  private void endOfSizeLine() {
    lineBytes = 0;
    if (size == 0) {
      state = State.TRAILER_START;
      return;
    }
    remaining = size;
    state = State.DATA;
  }

  private void nextChunk() {
    state = State.SIZE;
    size = 0;
    sizeDigits = 0;
    lineBytes = 0;
  }
}
