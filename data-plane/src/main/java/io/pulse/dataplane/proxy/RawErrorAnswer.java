package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.pulse.dataplane.failures.PublicErrors;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's own 502/504 answer as bytes, the same JSON and headers the Vert.x path sends
 * ({@link PublicErrors#send}): for the byte-level forwarder, which writes ahead of Vert.x's encoder.
 */
final class RawErrorAnswer {

  private RawErrorAnswer() {}

  static ByteBuf of(ByteBufAllocator alloc, int status, String message, String ref, boolean close) {
    byte[] body = PublicErrors.body(status, message, ref).encode().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + HttpResponseStatus.valueOf(status) + "\r\nContent-Type: application/json\r\n"
        + "content-length: " + body.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
    ByteBuf out = alloc.buffer(head.length() + body.length);
    out.writeCharSequence(head, StandardCharsets.US_ASCII);
    out.writeBytes(body);
    return out;
  }
}
