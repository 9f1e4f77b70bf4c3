package io.pulse.bench.schedule;

/**
 * One replayed function.
 *
 * @param name its name in Pulse
 * @param hash the trace's function hash
 * @param memoryMiB memory after scaling
 * @param meanDurationMs the trace's average execution time after scaling
 * @param invocations requests it gets in the schedule
 */
public record FunctionPlan(String name, String hash, int memoryMiB, double meanDurationMs, int invocations) {}
