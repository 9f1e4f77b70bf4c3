package io.pulse.controlplane.state;

import io.pulse.controlplane.async.Invocation;
import io.pulse.controlplane.async.InvocationJson;
import io.pulse.controlplane.api.json.FunctionJson;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.api.json.FunctionSpecParser;
import io.pulse.controlplane.secrets.SealedValue;
import io.pulse.controlplane.secrets.SecretRecord;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The one serialized form of a {@link StoredEntry}: compact JSON, used on disk (RocksDB values) and in the
 * replicated map (so Hazelcast needs no serializer of ours, and equal entries compare equal as strings). A function is
 * {@code {"name", "seq", "function"?}}; a secret {@code {"secret": NAME, "seq", "record"?}} whose record holds only the
 * sealed value (ciphertext), never the plaintext; a worker's drain {@code {"drain": ID, "seq", "draining"}};
 * an async invocation {@code {"invocation": ID, "seq", "record"?}}.
 */
public final class StoredFunctionCodec {

  private StoredFunctionCodec() {}

  public static String encode(StoredEntry entry) {
    return switch (entry) {
      case StoredFunction function -> encodeFunction(function);
      case StoredSecret secret -> encodeSecret(secret);
      case StoredDrain drain -> new JsonObject().put("drain", drain.workerId()).put("seq", drain.seq())
          .put("draining", drain.draining()).encode();
      case StoredInvocation invocation -> encodeInvocation(invocation);
    };
  }

  private static String encodeInvocation(StoredInvocation entry) {
    JsonObject json = new JsonObject().put("invocation", entry.id()).put("seq", entry.seq());
    Invocation invocation = entry.invocation();
    if (invocation != null) {
      json.put("record", InvocationJson.toJson(invocation));
    } else {
      json.put("forgottenAt", java.util.Objects.requireNonNull(entry.forgottenAt()).toString());
    }
    return json.encode();
  }

  private static StoredInvocation decodeInvocation(JsonObject json) {
    String id = json.getString("invocation");
    Long seq = json.getLong("seq");
    if (seq == null) {
      throw new IllegalArgumentException("stored invocation '" + id + "' needs 'seq'");
    }
    JsonObject record = json.getJsonObject("record");
    if (record != null) {
      return StoredInvocation.live(seq, InvocationJson.fromJson(record));
    }
    // Tombstones written before purging existed carry no time: they are long past any horizon.
    String forgottenAt = json.getString("forgottenAt");
    return StoredInvocation.tombstone(id, seq, forgottenAt == null ? java.time.Instant.EPOCH
        : java.time.Instant.parse(forgottenAt));
  }

  private static String encodeSecret(StoredSecret entry) {
    JsonObject json = new JsonObject().put("secret", entry.name()).put("seq", entry.seq());
    SecretRecord secret = entry.secret();
    if (secret != null) {
      json.put("record", new JsonObject()
          .put("revision", secret.revision())
          .put("createdAt", secret.createdAt().toString())
          .put("updatedAt", secret.updatedAt().toString())
          .put("keyId", secret.sealed().keyId())
          .put("nonce", secret.sealed().nonce())
          .put("ciphertext", secret.sealed().ciphertext()));
    }
    return json.encode();
  }

  private static String encodeFunction(StoredFunction entry) {
    JsonObject json = new JsonObject().put("name", entry.name()).put("seq", entry.seq());
    FunctionRecord function = entry.function();
    if (function != null) {
      json.put("function", FunctionJson.toJson(function));
    }
    return json.encode();
  }

  /** Reads what {@link #encode} wrote; a malformed value fails with a message naming the field. */
  public static StoredEntry decode(String text) {
    JsonObject json = new JsonObject(text);
    if (json.containsKey("drain")) {
      Long seq = json.getLong("seq");
      Boolean draining = json.getBoolean("draining");
      if (seq == null || draining == null) {
        throw new IllegalArgumentException("stored drain needs 'seq' and 'draining': " + text);
      }
      return new StoredDrain(json.getString("drain"), seq, draining);
    }
    if (json.containsKey("invocation")) {
      return decodeInvocation(json);
    }
    return json.containsKey("secret") ? decodeSecret(json) : decodeFunction(json, text);
  }

  private static StoredSecret decodeSecret(JsonObject json) {
    String name = json.getString("secret");
    Long seq = json.getLong("seq");
    if (seq == null) {
      throw new IllegalArgumentException("stored secret '" + name + "' needs 'seq'");
    }
    JsonObject record = json.getJsonObject("record");
    if (record == null) {
      return new StoredSecret(name, seq, null);
    }
    SealedValue sealed = new SealedValue(required(record, "keyId"), required(record, "nonce"),
        required(record, "ciphertext"));
    return new StoredSecret(name, seq, new SecretRecord(name, readLong(record, "revision"),
        Instant.parse(required(record, "createdAt")), Instant.parse(required(record, "updatedAt")), sealed));
  }

  private static String required(JsonObject json, String field) {
    String value = json.getString(field);
    if (value == null) {
      throw new IllegalArgumentException("stored secret record needs '" + field + "'");
    }
    return value;
  }

  private static StoredFunction decodeFunction(JsonObject json, String text) {
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
      throw new IllegalArgumentException("stored record needs '" + field + "'");
    }
    return value.longValue();
  }
}
