package io.pulse.dataplane.proxy;

import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Whether Vert.x's HTTP/1 decoder is between requests: it holds no undecoded byte
 * ({@code ByteToMessageDecoder.actualReadableBytes()}, a protected method of Netty's) and is not halfway through a
 * head ({@code HttpObjectDecoder.currentState}, a private field, in the state a new decoder starts in: it takes a
 * head's lines in as they come, so a head cut at a line's end leaves no byte behind but a half-read request), both read
 * by reflection. The byte-level forwarder takes a connection back from Vert.x only then, so that no request is left half
 * in the decoder and half in the forwarder. When either cannot be told the answer is no (the connection stays with
 * Vert.x).
 */
final class DecoderLeftovers {

  private static final @Nullable Method ACTUAL_READABLE_BYTES = find();
  private static final @Nullable Field CURRENT_STATE = findState();
  /** The state of Netty's HTTP decoder between two messages: a new one's (its name differs between Netty versions). */
  private static final @Nullable Object BETWEEN_MESSAGES = stateOf(new HttpRequestDecoder());

  private DecoderLeftovers() {}

  /** True when {@code decoder} holds nothing of a request: no byte, no half-read head. */
  static boolean none(ByteToMessageDecoder decoder) {
    return of(decoder) == 0 && betweenMessages(decoder);
  }

  /** The bytes {@code decoder} holds undecoded, or -1 when it cannot be told. */
  private static int of(ByteToMessageDecoder decoder) {
    if (ACTUAL_READABLE_BYTES == null) {
      return -1;
    }
    try {
      return (int) ACTUAL_READABLE_BYTES.invoke(decoder);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  private static boolean betweenMessages(ByteToMessageDecoder decoder) {
    if (!(decoder instanceof HttpObjectDecoder http)) {
      return true; // no message state of its own: its bytes are all it holds
    }
    Object state = stateOf(http);
    return state != null && state == BETWEEN_MESSAGES;
  }

  private static @Nullable Object stateOf(HttpObjectDecoder decoder) {
    if (CURRENT_STATE == null) {
      return null;
    }
    try {
      return CURRENT_STATE.get(decoder);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static @Nullable Method find() {
    try {
      Method method = ByteToMessageDecoder.class.getDeclaredMethod("actualReadableBytes");
      method.setAccessible(true);
      return method;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static @Nullable Field findState() {
    try {
      Field field = HttpObjectDecoder.class.getDeclaredField("currentState");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
