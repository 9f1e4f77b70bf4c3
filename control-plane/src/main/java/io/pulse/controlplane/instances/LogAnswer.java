package io.pulse.controlplane.instances;

import java.util.List;

/** A worker's answer to a log read ({@code InstanceLogs}), as the adapter translates it: no transport status in it. */
public sealed interface LogAnswer {

  /** The newest lines asked for, oldest first. */
  record Lines(List<LogLine> lines) implements LogAnswer {}

  /** The worker holds no such instance any more (deleted with its files, as an ended Emergency Instance is). */
  record Gone() implements LogAnswer {}

  /** The worker's runtime keeps no logs, or the worker is too old to read them. */
  record Unsupported(String message) implements LogAnswer {}

  /** No answer, or an error: {@code error} says why (the worker's status code first). */
  record Failed(String error) implements LogAnswer {}
}
