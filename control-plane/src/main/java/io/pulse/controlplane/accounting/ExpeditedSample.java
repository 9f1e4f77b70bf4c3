package io.pulse.controlplane.accounting;

/**
 * One function's expedited track at one data plane over one report interval.
 *
 * @param expedited requests sent down the expedited track
 * @param counted how many of them the metric filter counted toward the autoscaler
 * @param emergencyInFlight Emergency Instances in use at the end of the interval
 */
public record ExpeditedSample(String function, long expedited, long counted, int emergencyInFlight) {}
