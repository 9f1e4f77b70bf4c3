package io.pulse.dataplane.routing;

/** A live worker as the control plane last described it (kept for the expedited track). */
public record WorkerRef(String id, String address) {}
