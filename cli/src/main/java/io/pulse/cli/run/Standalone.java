package io.pulse.cli.run;

import io.pulse.common.admin.AdminServer;
import io.pulse.common.net.HostPort;
import io.pulse.common.vertx.NetTransport;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one component as its own process until Ctrl-C or SIGTERM, with its admin endpoints when asked. */
final class Standalone {

  private static final Logger log = LoggerFactory.getLogger(Standalone.class);

  private Standalone() {}

  /**
   * @param start starts the component on the shared parts and answers its close action
   * @param adminBind where /metrics, /healthz, /readyz are served, or null when the component serves them itself
   */
  static int run(String name, Function<Components, Future<Supplier<Future<Void>>>> start,
      @Nullable HostPort adminBind) {
    return run(name, NetTransport.EPOLL, start, adminBind);
  }

  /** {@link #run(String, Function, HostPort)} with the event loops on {@code transport}. */
  static int run(String name, NetTransport transport, Function<Components, Future<Supplier<Future<Void>>>> start,
      @Nullable HostPort adminBind) {
    Components components = Components.create(transport);
    Supplier<Future<Void>> close;
    try {
      close = start.apply(components).await();
      if (adminBind != null) {
        int port = AdminServer.start(components.vertx(), adminBind, components.metrics(), components.readiness())
            .await().actualPort();
        log.atInfo().addKeyValue("component", name).addKeyValue("port", port).log("admin endpoints listening");
      }
    } catch (RuntimeException e) {
      components.vertx().close();
      throw e;
    }
    log.atInfo().addKeyValue("component", name).log("started; Ctrl-C or SIGTERM stops it");
    ShutdownSignal.install(() -> {
      try {
        close.get().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.atWarn().addKeyValue("component", name).log("close failed: {}", e.toString());
      }
      components.vertx().close().await();
    }).await();
    return 0;
  }
}
