package io.pulse.worker.sandbox.logs;

/** One line a sandbox printed, without its newline, and when the worker read it (epoch milliseconds). */
public record LogLine(long timeMs, String text) {}
