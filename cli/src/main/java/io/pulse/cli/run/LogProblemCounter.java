package io.pulse.cli.run;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.pulse.bench.driver.LoggedProblems;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Counts the WARN and ERROR events logged in this JVM while it is attached, keeping the first few errors: the bench's
 * Pulse runs in-process, one at a time, so what is logged between {@link #attach} and {@link #close} is that run's.
 * Sees only what the loggers' levels let through (WARN and up in a bench run, more with {@code --verbose}).
 */
final class LogProblemCounter extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final Logger root;
  private long errors;
  private long warnings;
  private final List<String> firstErrors = new ArrayList<>(LoggedProblems.KEPT);

  private LogProblemCounter(Logger root) {
    this.root = root;
  }

  /** A counter on the root logger, counting from now. */
  static LogProblemCounter attach() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    LogProblemCounter counter = new LogProblemCounter(root);
    counter.setContext(root.getLoggerContext());
    counter.setName("pulse-bench-problems");
    counter.start();
    root.addAppender(counter);
    return counter;
  }

  // AppenderBase.doAppend holds the appender's lock around append: the fields need no more.
  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      errors++;
      if (firstErrors.size() < LoggedProblems.KEPT) {
        firstErrors.add(describe(event));
      }
    } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      warnings++;
    }
  }

  /** What was logged so far. */
  synchronized LoggedProblems snapshot() {
    return new LoggedProblems(errors, warnings, firstErrors);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }

  /** Logger, message and the exception's class and message, on one line. */
  static String describe(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(event.getLoggerName()).append(": ").append(event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(" (").append(thrown.getClassName());
      if (thrown.getMessage() != null) {
        line.append(": ").append(thrown.getMessage());
      }
      line.append(')');
    }
    return line.toString();
  }
}
