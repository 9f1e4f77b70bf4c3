package io.pulse.common.vertx;

import io.vertx.core.transport.Transport;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The network transport a process's event loops run on. {@link #EPOLL}: Linux epoll where Netty's native library
 * loads (else the JDK's NIO, as before); {@link #IO_URING}: Linux io_uring, which batches a loop's reads and writes
 * into fewer system calls, or a clear error where the kernel or the library does not offer it.
 */
public enum NetTransport {
  EPOLL,
  IO_URING;

  /** {@code epoll} or {@code io_uring}; anything else is an error naming what is accepted. */
  public static NetTransport parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "epoll" -> EPOLL;
      case "io_uring", "io-uring", "iouring" -> IO_URING;
      default -> throw new IllegalArgumentException("--transport: '" + value + "' is neither epoll nor io_uring");
    };
  }

  /** The Vert.x transport to build with; null for the native one preferred over NIO (epoll on Linux). */
  @Nullable Transport vertxTransport() {
    if (this == EPOLL) {
      return null;
    }
    if (!Transport.IO_URING.available()) {
      Throwable cause = Transport.IO_URING.unavailabilityCause();
      throw new IllegalStateException("--transport io_uring: io_uring is not available here ("
          + (cause == null ? "unknown cause" : cause.toString()) + "); use epoll", cause);
    }
    return Transport.IO_URING;
  }
}
