package io.pulse.controlplane.instances;

/** One line an instance printed, as its worker keeps it: when the worker read it (epoch milliseconds), and the text. */
public record LogLine(long timeMs, String text) {}
