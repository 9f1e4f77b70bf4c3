package io.pulse.controlplane.api;

import io.pulse.controlplane.status.FunctionStatus;
import io.pulse.controlplane.status.FunctionStatus.CreateFailure;
import io.pulse.controlplane.status.FunctionStatus.Failure;
import io.pulse.controlplane.status.FunctionStatus.ImagePreparation;
import io.pulse.controlplane.status.FunctionStatus.PlacementFailure;
import io.pulse.controlplane.status.FunctionStatus.SandboxExitNote;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The JSON form of a function's status ({@code "status"} on {@code GET /v1/functions/{name}}). */
final class StatusJson {

  private StatusJson() {}

  static JsonObject of(FunctionStatus status, ClusterView.@Nullable KeepAliveView keepAlive) {
    JsonObject json = of(status);
    if (keepAlive != null) {
      json.put("keepAlive", new JsonObject()
          .put("keepAliveMs", keepAlive.keepAliveMs())
          .put("holdMs", keepAlive.holdMs())
          .put("idleGapsMs", new JsonArray(keepAlive.idleGapsMs()))
          .put("executionMs", keepAlive.executionMs())
          .put("creationMs", keepAlive.creationMs()));
    }
    return json;
  }

  private static JsonObject of(FunctionStatus status) {
    JsonArray images = new JsonArray();
    for (ImagePreparation image : status.images()) {
      images.add(new JsonObject()
          .put("workerId", image.workerId())
          .put("image", image.image())
          .put("state", image.state())
          .put("error", image.error())
          .put("digest", image.digest())
          .put("pullMillis", image.pullMillis())
          .put("at", iso(image.atMillis())));
    }
    return new JsonObject()
        .put("images", images)
        .put("lastCreateFailure", failure(status.lastCreateFailure()))
        .put("lastExit", exit(status.lastExit()))
        .put("lastPlacementFailure", placement(status.lastPlacementFailure()))
        .put("recentFailures", new JsonArray(status.recentFailures().stream().map(StatusJson::failure).toList()))
        .put("pools", new JsonArray(status.pools().stream().map(StatusJson::pool).toList()));
  }

  private static JsonObject pool(FunctionStatus.Pool pool) {
    return new JsonObject()
        .put("workerId", pool.workerId())
        .put("revision", pool.revision())
        .put("target", pool.target())
        .put("ready", pool.ready())
        .put("creating", pool.creating())
        .put("failures", pool.failures())
        .put("lastError", pool.lastError())
        .put("refillMs", pool.refillMicros() / 1e3);
  }

  private static @Nullable JsonObject failure(@Nullable CreateFailure failure) {
    return failure == null ? null : new JsonObject()
        .put("instanceId", failure.instanceId())
        .put("workerId", failure.workerId())
        .put("code", failure.code())
        .put("message", failure.message())
        .put("at", iso(failure.atMillis()))
        .put("ref", failure.ref());
  }

  private static JsonObject failure(Failure failure) {
    return new JsonObject()
        .put("ref", failure.ref())
        .put("stage", failure.stage())
        .put("source", failure.source())
        .put("instanceId", failure.instanceId())
        .put("workerId", failure.workerId())
        .put("code", failure.code())
        .put("message", failure.message())
        .put("at", iso(failure.atMillis()));
  }

  private static @Nullable JsonObject placement(@Nullable PlacementFailure failure) {
    return failure == null ? null : new JsonObject()
        .put("message", failure.message())
        .put("since", iso(failure.sinceMillis()))
        .put("at", iso(failure.atMillis()));
  }

  private static @Nullable JsonObject exit(@Nullable SandboxExitNote exit) {
    return exit == null ? null : new JsonObject()
        .put("instanceId", exit.instanceId())
        .put("workerId", exit.workerId())
        .put("reason", exit.reason())
        .put("exitCode", exit.exitCode())
        .put("message", exit.message())
        .put("at", iso(exit.atMillis()));
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
