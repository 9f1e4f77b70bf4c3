package io.pulse.controlplane.async;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The stored form of an {@link Invocation} (RocksDB values and the replicated map carry it inside an entry). */
public final class InvocationJson {

  private InvocationJson() {}

  public static JsonObject toJson(Invocation invocation) {
    JsonArray headers = new JsonArray();
    invocation.headers().forEach(h -> headers.add(new JsonArray().add(h.name()).add(h.value())));
    JsonObject json = new JsonObject()
        .put("id", invocation.id())
        .put("function", invocation.function())
        .put("method", invocation.method())
        .put("uri", invocation.uri())
        .put("headers", headers)
        .put("body", invocation.body64())
        .put("acceptedAt", invocation.acceptedAt().toString())
        .put("state", invocation.state().label())
        .put("attempts", invocation.attempts())
        .put("notBefore", invocation.notBefore().toString());
    if (invocation.callbackUrl() != null) {
      json.put("callbackUrl", invocation.callbackUrl());
    }
    Invocation.Outcome result = invocation.result();
    if (result != null) {
      JsonObject outcome = new JsonObject().put("status", result.status()).put("body", result.body64());
      if (result.error() != null) {
        outcome.put("error", result.error());
      }
      json.put("result", outcome);
    }
    if (invocation.finishedAt() != null) {
      json.put("finishedAt", invocation.finishedAt().toString());
    }
    return json;
  }

  public static Invocation fromJson(JsonObject json) {
    List<Invocation.Header> headers = new ArrayList<>();
    for (Object pair : json.getJsonArray("headers", new JsonArray())) {
      JsonArray nameValue = (JsonArray) pair;
      headers.add(new Invocation.Header(nameValue.getString(0), nameValue.getString(1)));
    }
    JsonObject outcome = json.getJsonObject("result");
    Invocation.Outcome result = outcome == null ? null
        : new Invocation.Outcome(outcome.getInteger("status"), outcome.getString("body", ""),
            outcome.getString("error"));
    return new Invocation(required(json, "id"), required(json, "function"), required(json, "method"),
        required(json, "uri"), headers, json.getString("body", ""), json.getString("callbackUrl"),
        Instant.parse(required(json, "acceptedAt")), InvocationState.fromLabel(required(json, "state")),
        json.getInteger("attempts", 0), Instant.parse(required(json, "notBefore")), result,
        instant(json.getString("finishedAt")));
  }

  private static @Nullable Instant instant(@Nullable String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static String required(JsonObject json, String field) {
    String value = json.getString(field);
    if (value == null) {
      throw new IllegalArgumentException("stored invocation needs '" + field + "'");
    }
    return value;
  }
}
