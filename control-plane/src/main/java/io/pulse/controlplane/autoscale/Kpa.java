package io.pulse.controlplane.autoscale;

import io.pulse.controlplane.registry.FunctionSpec.Scaling;
import java.util.OptionalDouble;

/**
 * The Knative Pod Autoscaler rule set, as a pure function. Concurrency based: the instances a window average needs are
 * {@code ceil(average / targetConcurrency)} (less the settings' fleet slack, for dual-track functions, whose
 * expedited track serves what a fleet rounded down cannot). A short panic window reacts to surges; in panic the count
 * never goes down.
 * Scale-to-zero is driven by keep-alive, not by the window: a function with no arrival, in-flight or queued request
 * for its keep-alive drops to minScale at once; while it has demand it keeps at least one instance. The keep-alive is
 * the function's own, or as long as its recent idle gaps call for ({@link IdleKeepAlive}).
 */
public final class Kpa {

  private final KpaSettings settings;
  private final IdleKeepAlive keepAlive;

  /** Knative's: the function's fixed keep-alive. */
  public Kpa(KpaSettings settings) {
    this(settings, IdleKeepAlive.FIXED);
  }

  public Kpa(KpaSettings settings, IdleKeepAlive keepAlive) {
    this.settings = settings;
    this.keepAlive = keepAlive;
  }

  public ScaleDecision decide(ScaleInput in, long nowMillis) {
    Scaling scaling = in.scaling();
    boolean demand = in.demandNow() > 0;
    long keepAliveMillis = keepAlive.millis(scaling.keepAliveSeconds() * 1000L, in.idleGaps(), in.coldStart(),
        in.memoryMiB());
    boolean idle = !demand
        && (in.lastActiveMillis() == ScaleInput.NEVER || nowMillis - in.lastActiveMillis() >= keepAliveMillis);
    if (idle) {
      return new ScaleDecision.Scale(bounded(scaling, scaling.minScale()), ScaleDecision.Reason.IDLE,
          PanicState.CALM, 0, 0);
    }

    OptionalDouble stableAverage = in.window().average(nowMillis, settings.stableWindowMillis());
    if (stableAverage.isEmpty() && !demand) {
      return ScaleDecision.NONE;
    }
    double stable = stableAverage.orElse(0);
    double panicked = in.window().average(nowMillis, settings.panicWindowMillis()).orElse(0);

    // Rates are relative to what serves now; with nothing ready, grow from a base of one.
    double ready = Math.max(1, in.readyInstances());
    double maxUp = Math.ceil(settings.maxScaleUpRate() * ready);
    double maxDown = Math.floor(ready / settings.maxScaleDownRate());
    double stableWanted = stable / scaling.targetConcurrency();
    double panicWanted = panicked / scaling.targetConcurrency();
    int stableCount = (int) clamp(Math.ceil(stableWanted - settings.fleetSlack()), maxDown, maxUp);
    int panicCount = (int) clamp(Math.ceil(panicWanted - settings.fleetSlack()), maxDown, maxUp);

    PanicState panic = nextPanic(in.panic(), panicWanted / ready >= settings.panicThreshold(), nowMillis);
    int desired = stableCount;
    ScaleDecision.Reason reason = ScaleDecision.Reason.STABLE;
    if (panic.active()) {
      // Provision for the larger window, and hold the high-water mark until the surge reaches the stable window.
      desired = Math.max(Math.max(stableCount, panicCount), panic.maxInstances());
      panic = new PanicState(true, panic.sinceMillis(), desired);
      reason = ScaleDecision.Reason.PANIC;
    }
    // Demand now or within keep-alive: never below one, even if the window has decayed to zero.
    desired = Math.max(desired, 1);
    return new ScaleDecision.Scale(bounded(scaling, desired), reason, panic, stable, panicked);
  }

  private PanicState nextPanic(PanicState previous, boolean overThreshold, long nowMillis) {
    if (overThreshold) {
      return new PanicState(true, nowMillis, previous.active() ? previous.maxInstances() : 0);
    }
    if (previous.active() && nowMillis - previous.sinceMillis() >= settings.stableWindowMillis()) {
      return PanicState.CALM;
    }
    return previous;
  }

  private static int bounded(Scaling scaling, int desired) {
    int result = Math.max(desired, scaling.minScale());
    return scaling.maxScale() > 0 ? Math.min(result, scaling.maxScale()) : result;
  }

  private static double clamp(double value, double low, double high) {
    return Math.min(Math.max(value, low), high);
  }
}
