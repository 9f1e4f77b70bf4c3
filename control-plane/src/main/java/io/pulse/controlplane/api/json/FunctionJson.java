package io.pulse.controlplane.api.json;

import io.pulse.controlplane.registry.AsyncSettings;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.SecretRef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.TreeMap;

/**
 * The JSON form of specs and records: what {@link FunctionSpecParser} reads, with every default written out, so that
 * {@code parse(toJson(spec))} gives back {@code spec}. Records add {@code revision}, {@code createdAt} and
 * {@code updatedAt} (ISO-8601 instants).
 */
public final class FunctionJson {

  private FunctionJson() {}

  public static JsonObject toJson(FunctionSpec spec) {
    JsonObject json = new JsonObject().put("name", spec.name());
    if (spec.image() != null) {
      json.put("image", spec.image());
    }
    // An empty command means "absent" (the parser refuses an empty array), so it is left out.
    if (!spec.command().isEmpty()) {
      json.put("command", new JsonArray(new ArrayList<>(spec.command())));
    }
    JsonObject env = new JsonObject();
    new TreeMap<>(spec.env()).forEach(env::put);
    JsonObject scaling = new JsonObject()
        .put("minScale", spec.scaling().minScale())
        .put("maxScale", spec.scaling().maxScale())
        .put("targetConcurrency", spec.scaling().targetConcurrency())
        .put("keepAliveSeconds", spec.scaling().keepAliveSeconds());
    // Absent means "the cluster default", which must stay distinguishable from an explicit choice.
    if (spec.scaling().policy() != null) {
      scaling.put("policy", spec.scaling().policy().label());
    }
    scaling.put("emergencyKeepAliveMs", spec.scaling().emergencyKeepAliveMs());
    scaling.put("prewarm", spec.scaling().prewarmAuto() ? FunctionSpecParser.PREWARM_AUTO : spec.scaling().prewarm());
    json.put("port", spec.port())
        .put("env", env)
        .put("resources", new JsonObject()
            .put("cpuMillis", spec.resources().cpuMillis())
            .put("memoryMiB", spec.resources().memoryMiB()))
        .put("scaling", scaling)
        .put("timeoutSeconds", spec.timeoutSeconds());
    if (!spec.secrets().isEmpty()) {
      json.put("secrets", secrets(spec)); // left out when empty: records written before secrets existed stay equal
    }
    if (!spec.async().equals(AsyncSettings.DEFAULTS)) {
      // left out when default, as secrets: records written before async settings existed stay equal
      json.put("async", new JsonObject()
          .put("maxAttempts", spec.async().maxAttempts())
          .put("backoffMs", spec.async().backoffMs())
          .put("maxBackoffMs", spec.async().maxBackoffMs())
          .put("concurrency", spec.async().concurrency())
          .put("timeoutSeconds", spec.async().timeoutSeconds()));
    }
    return json;
  }

  /** A secret received only as a file is its name; one also received as env is {@code {"name", "env"}}. */
  private static JsonArray secrets(FunctionSpec spec) {
    JsonArray secrets = new JsonArray();
    for (SecretRef ref : spec.secrets()) {
      secrets.add(ref.env() == null ? ref.name() : new JsonObject().put("name", ref.name()).put("env", ref.env()));
    }
    return secrets;
  }

  public static JsonObject toJson(FunctionRecord record) {
    return toJson(record.spec())
        .put("revision", record.revision())
        .put("createdAt", record.createdAt().toString())
        .put("updatedAt", record.updatedAt().toString());
  }
}
