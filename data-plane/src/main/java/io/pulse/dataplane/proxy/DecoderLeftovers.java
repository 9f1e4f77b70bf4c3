package io.pulse.dataplane.proxy;

import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * How many bytes Vert.x's HTTP/1 decoder holds undecoded ({@code ByteToMessageDecoder.actualReadableBytes()}, a
 * protected method of Netty's, read by reflection): the byte-level forwarder takes a connection back from Vert.x only
 * when it holds none, so that no request is left half in the decoder and half in the forwarder. -1 when it cannot be
 * told (then the connection stays with Vert.x).
 */
final class DecoderLeftovers {

  private static final @Nullable Method ACTUAL_READABLE_BYTES = find();

  private DecoderLeftovers() {}

  static int of(ByteToMessageDecoder decoder) {
    if (ACTUAL_READABLE_BYTES == null) {
      return -1;
    }
    try {
      return (int) ACTUAL_READABLE_BYTES.invoke(decoder);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
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
}
