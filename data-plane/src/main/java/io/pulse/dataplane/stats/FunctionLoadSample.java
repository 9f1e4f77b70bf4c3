package io.pulse.dataplane.stats;

/**
 * One function's load over one report interval, as this data plane saw it.
 *
 * @param arrivals requests that count toward scaling (every request but expedited ones the metric filter left out)
 * @param expedited requests sent down the expedited track
 * @param expeditedCounted of those, how many the metric filter let count in the concurrency and arrivals
 * @param emergencyInFlight requests being served by Emergency Instances now
 */
public record FunctionLoadSample(String function, double averageConcurrency, int inFlight, int queued,
    long arrivals, long expedited, long expeditedCounted, int emergencyInFlight) {

  public FunctionLoadSample(String function, double averageConcurrency, int inFlight, int queued, long arrivals) {
    this(function, averageConcurrency, inFlight, queued, arrivals, 0, 0, 0);
  }
}
