package io.pulse.controlplane.load;

/**
 * One function's load at one data plane over one report interval.
 *
 * @param averageConcurrency time-weighted mean of (in flight + queued) over the interval
 * @param arrivals requests that arrived during the interval
 * @param executionMicros the mean execution time of the function's latest calls there; 0 when none has run
 */
public record FunctionLoadSample(String function, double averageConcurrency, int inFlight, int queued, long arrivals,
    long executionMicros) {

  /** Without an execution time measured. */
  public FunctionLoadSample(String function, double averageConcurrency, int inFlight, int queued, long arrivals) {
    this(function, averageConcurrency, inFlight, queued, arrivals, 0);
  }

  public FunctionLoadSample {
    if (function.isBlank()) {
      throw new IllegalArgumentException("function must not be empty");
    }
    if (averageConcurrency < 0 || Double.isNaN(averageConcurrency)) {
      throw new IllegalArgumentException("averageConcurrency must be >= 0, was " + averageConcurrency);
    }
    if (inFlight < 0 || queued < 0 || arrivals < 0 || executionMicros < 0) {
      throw new IllegalArgumentException("inFlight, queued, arrivals and executionMicros must be >= 0, were "
          + inFlight + ", " + queued + ", " + arrivals + ", " + executionMicros);
    }
  }
}
