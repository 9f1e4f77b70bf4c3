package io.pulse.controlplane.api;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * The query of {@code GET /v1/functions/{name}/logs}: one instance or all, the newest {@code tail} lines, lines since
 * a time (an RFC 3339 instant or epoch milliseconds), and whether to keep sending new lines.
 */
record LogRequest(@Nullable String instance, int tail, long sinceMs, boolean follow) {

  static final int DEFAULT_TAIL = 100;
  static final int MAX_TAIL = 10_000;

  static LogRequest parse(MultiMap query) {
    String instance = query.get("instance");
    if (instance != null && instance.isBlank()) {
      throw new ApiException(400, "instance must not be empty", "instance");
    }
    return new LogRequest(instance, tail(query.get("tail")), since(query.get("since")), follow(query.get("follow")));
  }

  private static boolean follow(@Nullable String value) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw new ApiException(400, "follow must be true or false, was '" + value + "'", "follow");
  }

  private static int tail(@Nullable String value) {
    if (value == null) {
      return DEFAULT_TAIL;
    }
    try {
      int tail = Integer.parseInt(value);
      if (tail >= 1 && tail <= MAX_TAIL) {
        return tail;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw new ApiException(400, "tail must be a number in 1.." + MAX_TAIL + ", was '" + value + "'", "tail");
  }

  private static long since(@Nullable String value) {
    if (value == null) {
      return 0;
    }
    try {
      long millis = value.chars().allMatch(Character::isDigit) ? Long.parseLong(value)
          : Instant.parse(value).toEpochMilli();
      if (millis >= 0) {
        return millis;
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      // Answered below.
    }
    throw new ApiException(400, "since must be an RFC 3339 time (2026-01-31T12:00:00Z) or epoch milliseconds, was '"
        + value + "'", "since");
  }
}
