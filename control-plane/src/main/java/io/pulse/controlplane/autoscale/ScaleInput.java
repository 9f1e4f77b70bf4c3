package io.pulse.controlplane.autoscale;

import io.pulse.controlplane.autoscale.window.ConcurrencyWindow;
import io.pulse.controlplane.registry.FunctionSpec.Scaling;

/**
 * Everything the KPA needs about one function at one moment.
 *
 * @param readyInstances instances serving now (of any revision)
 * @param window observed concurrency, summed over data planes
 * @param demandNow requests in flight plus queued, summed over data planes, in the latest reports
 * @param lastActiveMillis last time any arrival, in-flight or queued request was seen; {@link #NEVER} if none
 * @param panic the panic state the previous decision left
 * @param idleGaps the function's recent idle gaps longer than its keep-alive
 * @param coldStart what a cold start would add to one of its calls, when measured
 * @param memoryMiB one instance's memory, what holding it idle costs; 0: unknown
 */
public record ScaleInput(String function, Scaling scaling, int readyInstances, ConcurrencyWindow window,
    int demandNow, long lastActiveMillis, PanicState panic, IdleGaps idleGaps, ColdStartShare coldStart,
    int memoryMiB) {

  public static final long NEVER = Long.MIN_VALUE;

  /** Without idle gaps seen. */
  public ScaleInput(String function, Scaling scaling, int readyInstances, ConcurrencyWindow window, int demandNow,
      long lastActiveMillis, PanicState panic) {
    this(function, scaling, readyInstances, window, demandNow, lastActiveMillis, panic, IdleGaps.NONE,
        ColdStartShare.UNKNOWN);
  }

  /** Without a cold start's share measured. */
  public ScaleInput(String function, Scaling scaling, int readyInstances, ConcurrencyWindow window, int demandNow,
      long lastActiveMillis, PanicState panic, IdleGaps idleGaps) {
    this(function, scaling, readyInstances, window, demandNow, lastActiveMillis, panic, idleGaps,
        ColdStartShare.UNKNOWN);
  }

  /** Without the instance's memory. */
  public ScaleInput(String function, Scaling scaling, int readyInstances, ConcurrencyWindow window, int demandNow,
      long lastActiveMillis, PanicState panic, IdleGaps idleGaps, ColdStartShare coldStart) {
    this(function, scaling, readyInstances, window, demandNow, lastActiveMillis, panic, idleGaps, coldStart, 0);
  }

  public ScaleInput {
    if (scaling.targetConcurrency() < 1) {
      throw new IllegalArgumentException("scaling.targetConcurrency must be >= 1, was " + scaling.targetConcurrency());
    }
    if (readyInstances < 0) {
      throw new IllegalArgumentException("readyInstances must be >= 0, was " + readyInstances);
    }
  }
}
