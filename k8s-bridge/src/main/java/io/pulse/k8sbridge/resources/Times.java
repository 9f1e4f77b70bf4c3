package io.pulse.k8sbridge.resources;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Kubernetes' time stamps: RFC 3339 to the second (Time) and to the microsecond (MicroTime). */
public final class Times {

  private Times() {}

  public static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** MicroTime, as fabric8 models it (Lease renew and acquire times). */
  public static ZonedDateTime microTime(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
  }

  /** Reads either format; empty when absent or unreadable (an unreadable stamp counts as stale). */
  public static Optional<Instant> parse(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
