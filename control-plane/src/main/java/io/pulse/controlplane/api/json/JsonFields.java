package io.pulse.controlplane.api.json;

import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of one JSON object whose errors carry the full field path. A JSON null counts as absent, so optional
 * fields may be sent as null.
 */
final class JsonFields {

  private static final int MAX_SHOWN_VALUE = 80;

  private final JsonObject json;
  private final String prefix;

  private JsonFields(JsonObject json, String prefix) {
    this.json = json;
    this.prefix = prefix;
  }

  /** Reads {@code json} at {@code prefix} (empty or ending in '.'), rejecting keys outside {@code known}. */
  static JsonFields of(JsonObject json, String prefix, Set<String> known) {
    // Sorted so the first unknown key reported does not depend on hash order.
    for (String key : new TreeSet<>(json.fieldNames())) {
      if (!known.contains(key)) {
        throw new InvalidFunctionSpecException(prefix + key,
            "unknown field '" + prefix + key + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
    return new JsonFields(json, prefix);
  }

  String path(String key) {
    return prefix + key;
  }

  @Nullable String optionalString(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw wrongType(path(key), "a string", value);
    }
    return text;
  }

  @Nullable JsonObject optionalObject(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw wrongType(path(key), "an object", value);
    }
    return object;
  }

  @Nullable JsonArray optionalArray(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw wrongType(path(key), "an array", value);
    }
    return array;
  }

  /** An integer in [min, max], or {@code defaultValue} when absent. */
  int integer(String key, int min, int max, int defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    return checkedInt(path(key), value, min, max);
  }

  static int checkedInt(String field, Object value, int min, int max) {
    BigInteger number = switch (value) {
      case Integer i -> BigInteger.valueOf(i);
      case Long l -> BigInteger.valueOf(l);
      case Short s -> BigInteger.valueOf(s);
      case Byte b -> BigInteger.valueOf(b);
      case BigInteger big -> big;
      case BigDecimal decimal when isIntegral(decimal) -> decimal.toBigIntegerExact();
      default -> throw wrongType(field, "an integer", value);
    };
    if (number.compareTo(BigInteger.valueOf(min)) < 0) {
      throw new InvalidFunctionSpecException(field, field + " must be at least " + min + ", got " + number);
    }
    if (number.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new InvalidFunctionSpecException(field, field + " must be at most " + max + ", got " + number);
    }
    return number.intValueExact();
  }

  private static boolean isIntegral(BigDecimal decimal) {
    return decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0;
  }

  static InvalidFunctionSpecException wrongType(String field, String expected, @Nullable Object value) {
    return new InvalidFunctionSpecException(field, field + " must be " + expected + ", got " + describe(value));
  }

  /** The JSON type and a bounded rendering of a value, for error messages. */
  static String describe(@Nullable Object value) {
    String type = switch (value) {
      case null -> "null";
      case String s -> "string";
      case Number n -> "number";
      case Boolean b -> "boolean";
      case JsonArray a -> "array";
      case JsonObject o -> "object";
      default -> value.getClass().getSimpleName();
    };
    if (value == null || value instanceof JsonArray || value instanceof JsonObject) {
      return type;
    }
    return type + " " + shown(value);
  }

  /** A value as JSON, cut short so an error message never echoes a huge input. */
  static String shown(Object value) {
    String encoded = Json.encode(value);
    return encoded.length() <= MAX_SHOWN_VALUE ? encoded : encoded.substring(0, MAX_SHOWN_VALUE) + "...";
  }
}
