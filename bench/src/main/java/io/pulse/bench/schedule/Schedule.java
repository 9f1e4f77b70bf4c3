package io.pulse.bench.schedule;

import io.pulse.bench.report.InvocationResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The requests of a replay in send order, and the functions they go to.
 *
 * @param spanMillis length of the measured window
 * @param leadInMicros the requests due before this are the lead-in's: sent, never measured (0: none)
 */
public record Schedule(List<FunctionPlan> functions, List<Invocation> invocations, long spanMillis,
    long leadInMicros) {

  public Schedule {
    functions = List.copyOf(functions);
    invocations = List.copyOf(invocations);
  }

  public Schedule(List<FunctionPlan> functions, List<Invocation> invocations, long spanMillis) {
    this(functions, invocations, spanMillis, 0);
  }

  /** Measured requests per function name. */
  public Map<String, Integer> perFunction() {
    Map<String, Integer> counts = new TreeMap<>();
    functions.forEach(f -> counts.put(f.name(), 0));
    invocations.stream().filter(this::measured).forEach(i -> counts.merge(i.function(), 1, Integer::sum));
    return counts;
  }

  /** How many requests are measured (all but the lead-in's). */
  public int measuredCount() {
    return (int) invocations.stream().filter(this::measured).count();
  }

  public boolean measured(Invocation invocation) {
    return invocation.atMicros() >= leadInMicros;
  }

  /** The results of the measured requests (a result keeps its request's due time). */
  public List<InvocationResult> measured(List<InvocationResult> results) {
    return results.stream().filter(r -> r.scheduledMicros() >= leadInMicros).toList();
  }
}
