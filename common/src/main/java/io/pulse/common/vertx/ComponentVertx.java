package io.pulse.common.vertx;

import io.pulse.api.ProtoDescriptors;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/** The one place Pulse processes make their {@link Vertx}. */
public final class ComponentVertx {

  /** A thread blocked this long gets a thread dump of the whole process (once per episode). */
  static final Duration THREAD_DUMP_AFTER = Duration.ofSeconds(5);

  private ComponentVertx() {}

  /**
   * Initializes the generated wire classes on this thread first (so that no event loop or gRPC thread ever has to,
   * see {@link ProtoDescriptors}), then makes the Vertx. Every blocked-thread warning carries the blocked thread's
   * whole stack, and one that lasts {@link #THREAD_DUMP_AFTER} a dump of every thread ({@link BlockedThreads}).
   */
  public static Vertx create(VertxOptions options) {
    return create(options, NetTransport.EPOLL);
  }

  /**
   * {@link #create(VertxOptions)} on {@code transport}; an io_uring asked for by name and unavailable fails here,
   * saying why, and {@link NetTransport#AUTO} falling back to epoll says why in its start line.
   */
  public static Vertx create(VertxOptions options, NetTransport transport) {
    ProtoDescriptors.preload();
    options.setWarningExceptionTime(options.getMaxEventLoopExecuteTime())
        .setWarningExceptionTimeUnit(options.getMaxEventLoopExecuteTimeUnit());
    io.vertx.core.transport.Transport chosen = transport.vertxTransport();
    Vertx vertx = chosen == null ? Vertx.vertx(options) : Vertx.builder().with(options).withTransport(chosen).build();
    var ready = LoggerFactory.getLogger(ComponentVertx.class).atInfo()
        .addKeyValue("transport", ((VertxInternal) vertx).transport().getClass().getSimpleName())
        .addKeyValue("requested", transport.name().toLowerCase(java.util.Locale.ROOT));
    if (transport == NetTransport.AUTO && chosen == null) {
      ready = ready.addKeyValue("ioUringUnavailable", NetTransport.ioUringUnavailableBecause());
    }
    ready.log("event loops ready");
    BlockedThreads blocked = new BlockedThreads(THREAD_DUMP_AFTER);
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(blocked::report);
    return vertx;
  }

  /** The transport {@code vertx}'s event loops run on, as `--transport` names it: io_uring, epoll, or nio. */
  public static String transportName(Vertx vertx) {
    String implementation = ((VertxInternal) vertx).transport().getClass().getSimpleName();
    return switch (implementation) {
      case "IoUringTransport" -> "io_uring";
      case "EpollTransport" -> "epoll";
      case "NioTransport" -> "nio";
      default -> implementation;
    };
  }
}
