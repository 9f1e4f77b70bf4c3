package io.pulse.controlplane.load;

/**
 * One function's load summed over every data plane's latest report.
 *
 * @param executionMicros the shortest mean execution time any of them measured (0: none did): the idle hold is
 *     withheld for long calls only when every data plane sees them long
 */
public record LoadTotal(double averageConcurrency, int inFlight, int queued, long arrivals, long executionMicros) {

  public static final LoadTotal ZERO = new LoadTotal(0, 0, 0, 0, 0);

  /** Without an execution time measured. */
  public LoadTotal(double averageConcurrency, int inFlight, int queued, long arrivals) {
    this(averageConcurrency, inFlight, queued, arrivals, 0);
  }

  /** Requests being served or waiting now. */
  public int demand() {
    return inFlight + queued;
  }

  /** Any sign of use in the latest interval. */
  public boolean active() {
    return arrivals > 0 || inFlight > 0 || queued > 0;
  }

  static LoadTotal of(FunctionLoadSample sample) {
    return new LoadTotal(sample.averageConcurrency(), sample.inFlight(), sample.queued(), sample.arrivals(),
        sample.executionMicros());
  }

  LoadTotal plus(LoadTotal other) {
    long execution = executionMicros == 0 ? other.executionMicros
        : other.executionMicros == 0 ? executionMicros : Math.min(executionMicros, other.executionMicros);
    return new LoadTotal(averageConcurrency + other.averageConcurrency, inFlight + other.inFlight,
        queued + other.queued, arrivals + other.arrivals, execution);
  }
}
