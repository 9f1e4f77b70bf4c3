package io.pulse.bench.schedule;

/**
 * One request of a schedule.
 *
 * @param function the function's name in Pulse
 * @param atMicros when to send it, from the start of the replay
 * @param durationMs the execution time it asks for
 */
public record Invocation(String function, long atMicros, int durationMs) {}
