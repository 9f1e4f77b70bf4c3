package io.pulse.controlplane.load;

/** One function's load summed over every data plane's latest report. */
public record LoadTotal(double averageConcurrency, int inFlight, int queued, long arrivals) {

  public static final LoadTotal ZERO = new LoadTotal(0, 0, 0, 0);

  /** Requests being served or waiting now. */
  public int demand() {
    return inFlight + queued;
  }

  /** Any sign of use in the latest interval. */
  public boolean active() {
    return arrivals > 0 || inFlight > 0 || queued > 0;
  }

  static LoadTotal of(FunctionLoadSample sample) {
    return new LoadTotal(sample.averageConcurrency(), sample.inFlight(), sample.queued(), sample.arrivals());
  }

  LoadTotal plus(LoadTotal other) {
    return new LoadTotal(averageConcurrency + other.averageConcurrency, inFlight + other.inFlight,
        queued + other.queued, arrivals + other.arrivals);
  }
}
