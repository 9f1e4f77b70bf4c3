package io.pulse.controlplane.accounting;

/** An Emergency Instance as its worker lists it in a heartbeat or registration. */
public record ListedSandbox(String instanceId, String function, long createdAtMillis, int memoryMiB) {}
