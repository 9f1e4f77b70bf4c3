package io.pulse.dataplane.stats;

/** One function's load over one report interval, as this data plane saw it. */
public record FunctionLoadSample(String function, double averageConcurrency, int inFlight, int queued,
    long arrivals) {}
