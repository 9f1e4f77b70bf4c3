package io.pulse.controlplane.accounting;

/**
 * A Regular Instance as the lifecycle's table shows it.
 *
 * @param readyAtMillis 0 while pending
 * @param adopted found running on a worker (its creation latency is not ours to report)
 */
public record RegularFact(String id, String function, String workerId, int memoryMiB, long createdAtMillis,
    long readyAtMillis, boolean adopted) {}
