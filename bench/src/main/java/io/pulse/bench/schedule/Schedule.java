package io.pulse.bench.schedule;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The requests of a replay in send order, and the functions they go to. */
public record Schedule(List<FunctionPlan> functions, List<Invocation> invocations, long spanMillis) {

  public Schedule {
    functions = List.copyOf(functions);
    invocations = List.copyOf(invocations);
  }

  /** Requests per function name. */
  public Map<String, Integer> perFunction() {
    Map<String, Integer> counts = new TreeMap<>();
    functions.forEach(f -> counts.put(f.name(), 0));
    invocations.forEach(i -> counts.merge(i.function(), 1, Integer::sum));
    return counts;
  }
}
