package io.pulse.controlplane.placement;

/** A function revision, as sandbox pools hold members of it: what a creation can claim on a worker. */
public record RevisionKey(String function, long revision) {}
