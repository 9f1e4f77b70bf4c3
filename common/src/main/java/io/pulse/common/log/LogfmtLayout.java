package io.pulse.common.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Pulse's log line: {@code ts=... level=... thread=... logger=... msg="..." key=value ... exception="..."}, then one
 * newline. Every field goes through {@link Logfmt}, so an event is exactly one line whatever its message, key-value
 * pairs, thread or logger name and exception hold; the exception (with its whole stack trace and causes) is one quoted
 * field. Used by {@code logback.xml} through a {@code LayoutWrappingEncoder}.
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {

  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(256);
    line.append("ts=").append(TS.format(event.getInstant())).append(" level=").append(event.getLevel());
    Logfmt.appendValue(line.append(" thread="), String.valueOf(event.getThreadName()));
    Logfmt.appendValue(line.append(" logger="), shortName(String.valueOf(event.getLoggerName())));
    Logfmt.appendQuoted(line.append(" msg="), String.valueOf(event.getFormattedMessage()));
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        Logfmt.appendValue(line.append(' '), String.valueOf(pair.key)).append('=');
        Logfmt.appendValue(line, text(pair.value));
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      String trace = ThrowableProxyUtil.asString(thrown);
      if (trace.endsWith(CoreConstants.LINE_SEPARATOR)) {
        trace = trace.substring(0, trace.length() - CoreConstants.LINE_SEPARATOR.length());
      }
      Logfmt.appendQuoted(line.append(" exception="), trace);
    }
    return line.append('\n').toString();
  }

  /** The last segment of a logger name, as {@code %logger{0}} did: {@code pulse.audit} → {@code audit}. */
  private static String shortName(String logger) {
    return logger.substring(logger.lastIndexOf('.') + 1);
  }

  /** A value's text; a value whose {@code toString} throws must not lose the event. */
  private static String text(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException e) {
      return "<toString failed: " + e + ">";
    }
  }
}
