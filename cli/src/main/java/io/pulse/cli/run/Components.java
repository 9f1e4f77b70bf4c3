package io.pulse.cli.run;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.vertx.ComponentVertx;
import io.pulse.common.vertx.NetTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Locale;

/** What every process that runs Pulse components shares: one Vertx, one metrics registry, one readiness. */
record Components(Vertx vertx, PrometheusRegistry metrics, Readiness readiness) {

  static Components create() {
    return create(NetTransport.EPOLL);
  }

  static Components create(NetTransport transport) {
    Vertx vertx = ComponentVertx.create(new VertxOptions().setPreferNativeTransport(true), transport);
    PrometheusRegistry metrics = new PrometheusRegistry();
    JvmMetrics.builder().register(metrics);
    Info.builder().name("pulse_event_loops_info")
        .help("The network transport this process's event loops run on, and the one --transport asked for")
        .labelNames("transport", "requested").register(metrics)
        .setLabelValues(ComponentVertx.transportName(vertx), transport.name().toLowerCase(Locale.ROOT));
    return new Components(vertx, metrics, new Readiness());
  }
}
