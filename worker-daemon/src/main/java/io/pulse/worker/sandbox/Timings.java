package io.pulse.worker.sandbox;

/**
 * Where the time of one creation went, in microseconds. Phases a runtime does not have are 0.
 *
 * @param createMicros preparing the sandbox (directory, port, metadata) before anything starts
 * @param startMicros launching it (fork/exec for the process runtime)
 * @param readyMicros from launched to accepting connections
 * @param totalMicros from the create call to ready
 */
public record Timings(
    long imageMicros,
    long createMicros,
    long networkMicros,
    long startMicros,
    long readyMicros,
    long totalMicros) {

  public static final Timings NONE = new Timings(0, 0, 0, 0, 0, 0);
}
