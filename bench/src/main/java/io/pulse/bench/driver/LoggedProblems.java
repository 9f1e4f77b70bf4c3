package io.pulse.bench.driver;

import java.util.List;

/**
 * What a run's Pulse logged at WARN and ERROR while it ran, and the first few errors. A request the data plane lost
 * shows in the replay as one failure among hundreds; the exception behind it only in the log, among progress lines.
 */
public record LoggedProblems(long errors, long warnings, List<String> firstErrors) {

  /** Errors kept word for word; the rest are only counted. */
  public static final int KEPT = 3;

  public LoggedProblems {
    if (errors < 0 || warnings < 0 || firstErrors.size() > Math.min(errors, KEPT)) {
      throw new IllegalArgumentException("logged problems out of range: " + errors + " errors, " + warnings
          + " warnings, " + firstErrors.size() + " kept");
    }
    firstErrors = List.copyOf(firstErrors);
  }
}
