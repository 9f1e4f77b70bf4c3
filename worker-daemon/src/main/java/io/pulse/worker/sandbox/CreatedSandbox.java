package io.pulse.worker.sandbox;

/** A sandbox that accepts connections, with where the time of its creation went. */
public record CreatedSandbox(Sandbox sandbox, Timings timings) {}
