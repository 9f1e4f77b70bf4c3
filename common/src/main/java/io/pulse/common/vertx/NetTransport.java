package io.pulse.common.vertx;

import io.vertx.core.transport.Transport;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The network transport a process's event loops run on. {@link #EPOLL}: Linux epoll where Netty's native library
 * loads (else the JDK's NIO, as before); {@link #IO_URING}: Linux io_uring, which batches a loop's reads and writes
 * into fewer system calls, or a clear error where the kernel or the library does not offer it; {@link #AUTO}:
 * io_uring where it is offered, else epoll (a kernel built without it, or a seccomp filter that refuses it).
 */
public enum NetTransport {
  AUTO,
  EPOLL,
  IO_URING;

  /** {@code auto}, {@code epoll} or {@code io_uring}; anything else is an error naming what is accepted. */
  public static NetTransport parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "epoll" -> EPOLL;
      case "io_uring", "io-uring", "iouring" -> IO_URING;
      default -> throw new IllegalArgumentException(
          "--transport: '" + value + "' is none of auto, epoll, io_uring");
    };
  }

  /** What this choice comes to where io_uring is ({@code ioUringAvailable}) or is not offered: EPOLL or IO_URING. */
  NetTransport resolve(boolean ioUringAvailable) {
    return this == AUTO ? (ioUringAvailable ? IO_URING : EPOLL) : this;
  }

  /** The Vert.x transport to build with; null for the native one preferred over NIO (epoll on Linux). */
  @Nullable Transport vertxTransport() {
    NetTransport chosen = resolve(Transport.IO_URING.available());
    if (chosen == EPOLL) {
      return null;
    }
    if (!Transport.IO_URING.available()) { // the option asks for what this host cannot give: `pulse: ...`, exit 1
      throw new IllegalArgumentException("--transport io_uring: io_uring is not available here ("
          + ioUringUnavailableBecause() + "); use epoll or auto", Transport.IO_URING.unavailabilityCause());
    }
    return Transport.IO_URING;
  }

  /** Why io_uring is not offered here, for the log line that says a process fell back to epoll. */
  static String ioUringUnavailableBecause() {
    Throwable cause = Transport.IO_URING.unavailabilityCause();
    return cause == null ? "unknown cause" : cause.toString();
  }
}
