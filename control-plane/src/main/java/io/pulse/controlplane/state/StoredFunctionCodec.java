package io.pulse.controlplane.state;

import io.pulse.controlplane.registry.FunctionJson;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpecParser;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The one serialized form of a {@link StoredFunction}: compact JSON, used on disk (RocksDB values) and in the
 * replicated map (so Hazelcast needs no serializer of ours, and equal entries compare equal as strings).
 */
public final class StoredFunctionCodec {

  private StoredFunctionCodec() {}

  public static String encode(StoredFunction entry) {
    JsonObject json = new JsonObject().put("name", entry.name()).put("seq", entry.seq());
    FunctionRecord function = entry.function();
    if (function != null) {
      json.put("function", FunctionJson.toJson(function));
    }
    return json.encode();
  }

  /** Reads what {@link #encode} wrote; a malformed value fails with a message naming the field. */
  public static StoredFunction decode(String text) {
    JsonObject json = new JsonObject(text);
    String name = json.getString("name");
    Long seq = json.getLong("seq");
    if (name == null || seq == null) {
      throw new IllegalArgumentException("stored function needs 'name' and 'seq': " + text);
    }
    JsonObject function = json.getJsonObject("function");
    if (function == null) {
      return StoredFunction.tombstone(name, seq);
    }
    JsonObject spec = function.copy();
    long revision = readLong(function, "revision");
    spec.remove("revision");
    Instant createdAt = Instant.parse((String) spec.remove("createdAt"));
    Instant updatedAt = Instant.parse((String) spec.remove("updatedAt"));
    return StoredFunction.of(seq, new FunctionRecord(FunctionSpecParser.parse(spec), revision, createdAt, updatedAt));
  }

  private static long readLong(JsonObject json, String field) {
    Number value = json.getNumber(field);
    if (value == null) {
      throw new IllegalArgumentException("stored function record needs '" + field + "'");
    }
    return value.longValue();
  }
}
