package io.pulse.controlplane.api;

import io.pulse.common.http.RouterErrors;
import io.pulse.controlplane.accounting.AccountingSnapshot;
import io.pulse.controlplane.accounting.AccountingSnapshot.FunctionSummary;
import io.pulse.controlplane.accounting.ExpeditedCount;
import io.pulse.controlplane.accounting.InstanceKind;
import io.pulse.controlplane.accounting.Usage;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;

/** GET /v1/accounting: memory held and busy, normalized cost and creations, per function and for the cluster. */
final class AccountingRoutes {

  private final ClusterView cluster;
  private final Clock clock;

  AccountingRoutes(ClusterView cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  void mount(Router router) {
    RouterErrors.readable(router, "/v1/accounting").handler(this::accounting);
  }

  private void accounting(RoutingContext ctx) {
    AccountingSnapshot.Summary summary = cluster.accounting().summary(clock.millis());
    JsonObject functions = new JsonObject();
    summary.functions().forEach((name, function) -> functions.put(name, json(function)));
    JsonObject body = new JsonObject()
        .put("since", summary.sinceMillis() > 0 ? Instant.ofEpochMilli(summary.sinceMillis()).toString() : null)
        .put("at", Instant.ofEpochMilli(summary.atMillis()).toString())
        .put("windowSeconds", summary.sinceMillis() > 0 ? (summary.atMillis() - summary.sinceMillis()) / 1e3 : 0.0)
        .put("creationsPerSecond", summary.creationsPerSecond())
        .put("total", json(summary.total()))
        .put("functions", functions);
    Responses.json(ctx, 200, body);
  }

  static JsonObject json(FunctionSummary summary) {
    JsonObject byKind = new JsonObject();
    for (InstanceKind kind : InstanceKind.values()) {
      byKind.put(kind.label(), usage(summary.byKind().get(kind)));
    }
    ExpeditedCount expedited = summary.expedited();
    return usage(summary.all())
        .put("byKind", byKind)
        .put("expedited", expedited.expedited())
        .put("expeditedCounted", expedited.counted());
  }

  private static JsonObject usage(Usage usage) {
    return new JsonObject()
        .put("memoryHeldMiBSeconds", usage.heldMiBSeconds())
        .put("memoryBusyMiBSeconds", usage.busyMiBSeconds())
        .put("normalizedCost", usage.normalizedCost())
        .put("creations", usage.creations())
        .put("meanCreationMillis", usage.meanCreationMillis())
        .put("liveInstances", usage.live());
  }
}
