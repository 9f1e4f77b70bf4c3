package io.pulse.dataplane.failures;

/**
 * The details of one failure behind a ref.
 *
 * @param stage {@code create}, {@code deadline}, {@code forward} or {@code timeout} (see control.proto FailureNote)
 * @param code the worker's gRPC status code for a creation; empty otherwise
 * @param detail the worker's or the proxy's own words: never shown to the caller
 */
public record FailureNote(String ref, String function, String stage, String instanceId, String workerId, String code,
    String detail, long atMillis) {}
