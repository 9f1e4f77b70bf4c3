package io.pulse.bench.trace;

import java.util.List;

/**
 * A workload trace: functions in the trace's order.
 *
 * @param format {@code loader} or {@code invitro}
 */
public record Trace(String format, String source, List<TraceFunction> functions) {

  public Trace {
    functions = List.copyOf(functions);
  }
}
