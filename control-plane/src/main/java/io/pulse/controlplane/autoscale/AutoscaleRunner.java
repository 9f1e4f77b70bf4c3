package io.pulse.controlplane.autoscale;

import io.prometheus.metrics.core.metrics.Counter;
import io.pulse.common.collect.ShardedMap;
import io.pulse.controlplane.autoscale.window.ConcurrencyWindow;
import io.pulse.controlplane.load.LoadTotal;
import io.pulse.controlplane.registry.FunctionRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a {@link ScaleDecider}: keeps each function's history (concurrency window, last activity, idle gaps, panic
 * state) between decisions, builds the decider's input, and passes the decided count to a {@link ScaleTarget}. Confined
 * to the control plane's context; the caller owns the timer and passes the time in. The idle gaps alone outlive the
 * term, in an {@link IdleGapStore}: the rest rebuilds within a stable window.
 */
public final class AutoscaleRunner {

  private static final Logger LOG = LoggerFactory.getLogger(AutoscaleRunner.class);

  private record History(ConcurrencyWindow window, long lastActiveMillis, IdleGaps idleGaps, PanicState panic,
      int desired, ColdStartShare coldStart) {

    History withDecision(PanicState nextPanic, int nextDesired) {
      return new History(window, lastActiveMillis, idleGaps, nextPanic, nextDesired, coldStart);
    }

    History withColdStart(ColdStartShare next) {
      return next == coldStart ? this : new History(window, lastActiveMillis, idleGaps, panic, desired, next);
    }
  }

  private final ScaleDecider decider;
  private final ScaleTarget target;
  private final KpaSettings settings;
  private final Counter decisions;
  private final IdleGapStore idleGaps;
  private final Map<String, History> histories = new HashMap<>();
  private volatile ShardedMap<Integer> desiredSnapshot = ShardedMap.empty();
  private final Map<String, Integer> desiredChanged = new HashMap<>();
  /** Each function's {@link ColdStartShare} once either half is measured, for readers on other threads. */
  private final Map<String, ColdStartShare> coldStarts = new ConcurrentHashMap<>();

  /**
   * @param decisions counter labelled by {@code direction} (up, down, hold, none)
   * @param idleGaps where each function's idle gaps are read when its history starts and written when one is recorded
   */
  public AutoscaleRunner(ScaleDecider decider, ScaleTarget target, KpaSettings settings, Counter decisions,
      IdleGapStore idleGaps) {
    this.decider = decider;
    this.target = target;
    this.settings = settings;
    this.decisions = decisions;
    this.idleGaps = idleGaps;
  }

  /**
   * Records one function's load total (summed over data planes) as observed at {@code nowMillis}. Call it for every
   * known function on every report, zeros included: the window counts only buckets that received a sample. Activity
   * after a quiet spell longer than the function's keep-alive records that spell as an idle gap.
   */
  public void observe(FunctionRecord function, LoadTotal total, long nowMillis) {
    String name = function.name();
    History history = history(name, nowMillis);
    long lastActive = history.lastActiveMillis();
    IdleGaps gaps = history.idleGaps();
    if (total.active()) {
      long quiet = lastActive == ScaleInput.NEVER ? 0 : nowMillis - lastActive;
      if (quiet > function.spec().scaling().keepAliveSeconds() * 1000L) {
        gaps = gaps.record(quiet);
        idleGaps.put(name, gaps);
      }
      lastActive = nowMillis;
    }
    ColdStartShare coldStart = history.coldStart().withExecution(total.executionMicros());
    histories.put(name, new History(history.window().record(nowMillis, total.averageConcurrency()), lastActive, gaps,
        history.panic(), history.desired(), coldStart));
    if (coldStart != history.coldStart()) {
      coldStarts.put(name, coldStart);
    }
  }

  /**
   * An instance of the function (either track) took {@code creationMicros} from the create command to readiness:
   * with its calls' execution time, what its idle hold weighs ({@link ColdStartShare}). Kept for this term only.
   */
  public void created(String function, long creationMicros, long nowMillis) {
    History history = history(function, nowMillis);
    ColdStartShare coldStart = history.coldStart().withCreation(creationMicros);
    histories.put(function, history.withColdStart(coldStart));
    coldStarts.put(function, coldStart);
  }

  /** What a cold start would add to the function's calls, as this term measured it; safe from any thread. */
  public ColdStartShare coldStart(String function) {
    return coldStarts.getOrDefault(function, ColdStartShare.UNKNOWN);
  }

  /**
   * Counts as activity of the function now (instances adopted from a worker): it keeps them for one keep-alive
   * unless load says otherwise.
   */
  public void noteActivity(String function, long nowMillis) {
    History history = history(function, nowMillis);
    histories.put(function, new History(history.window(), Math.max(history.lastActiveMillis(), nowMillis),
        history.idleGaps(), history.panic(), Math.max(history.desired(), target.instances(function)),
        history.coldStart()));
  }

  /**
   * Scale from zero: a request waits for a function with no instance at all (not even one being created), so the
   * function should not wait for the next tick.
   */
  public boolean needsImmediateDecision(String function, LoadTotal total) {
    return total.queued() > 0 && target.instances(function) == 0;
  }

  /** One decision for every function; forgets the history of functions that no longer exist. */
  public void tick(Map<String, FunctionRecord> functions, Function<String, LoadTotal> loads, long nowMillis) {
    histories.keySet().retainAll(functions.keySet()); // the stored gaps go with a deletion only (forget)
    coldStarts.keySet().retainAll(functions.keySet());
    for (FunctionRecord function : functions.values()) {
      decideOne(function, loads.apply(function.name()), nowMillis);
    }
    publish();
  }

  /** One decision for one function, now. */
  public void decide(FunctionRecord function, LoadTotal load, long nowMillis) {
    decideOne(function, load, nowMillis);
    publish();
  }

  /** The function was deleted: its history goes, stored gaps included. */
  public void forget(String function) {
    idleGaps.remove(function);
    coldStarts.remove(function);
    if (histories.remove(function) != null) {
      desiredSnapshot = desiredSnapshot.without(function); // not a pass over every function per deletion
    }
  }

  /** The last decided count per function; safe to read from any thread. */
  public Map<String, Integer> desired() {
    return desiredSnapshot;
  }

  private void decideOne(FunctionRecord function, LoadTotal load, long nowMillis) {
    String name = function.name();
    History history = history(name, nowMillis);
    int ready = target.readyInstances(name);
    ScaleInput input = new ScaleInput(name, function.spec().scaling(), ready, history.window(), load.demand(),
        history.lastActiveMillis(), history.panic(), history.idleGaps(), history.coldStart(),
        function.spec().resources().memoryMiB());
    ScaleDecision decision = decider.decide(input, nowMillis);
    int desired;
    if (decision instanceof ScaleDecision.Scale scale) {
      desired = scale.desired();
      histories.put(name, history.withDecision(scale.panic(), desired));
      if (scale.panic().active() && !history.panic().active()) {
        LOG.atInfo().setMessage("panic mode").addKeyValue("function", name)
            .addKeyValue("panicConcurrency", scale.panicConcurrency()).addKeyValue("ready", ready).log();
      }
    } else {
      // No basis for a decision: keep what runs rather than guess, within the function's bounds (what runs may be
      // above maxScale for a moment: a new leader's pending creations beside the instances it adopted).
      desired = withinBounds(function.spec().scaling(), Math.max(history.desired(), target.instances(name)));
      decisions.labelValues("none").inc();
    }
    String direction = desired > history.desired() ? "up" : desired < history.desired() ? "down" : "hold";
    if (decision instanceof ScaleDecision.Scale) {
      decisions.labelValues(direction).inc();
    }
    if (!direction.equals("hold")) {
      LOG.atDebug().setMessage("scale").addKeyValue("function", name).addKeyValue("from", history.desired())
          .addKeyValue("to", desired).addKeyValue("decision", decision).log();
    }
    histories.computeIfPresent(name, (k, h) -> h.withDecision(h.panic(), desired));
    target.scale(name, desired);
  }

  private static int withinBounds(io.pulse.controlplane.registry.FunctionSpec.Scaling scaling, int count) {
    int bounded = scaling.maxScale() > 0 ? Math.min(count, scaling.maxScale()) : count;
    return Math.max(bounded, scaling.minScale());
  }

  private History history(String function, long nowMillis) {
    History history = histories.get(function);
    if (history == null) {
      long bucket = Math.min(1000, settings.panicWindowMillis());
      // Instances that already run when we first see the function (adopted after a restart) get one keep-alive of
      // grace instead of being scaled away before the first load report arrives.
      int running = target.instances(function);
      history = new History(ConcurrencyWindow.empty(bucket, settings.stableWindowMillis()),
          running > 0 ? nowMillis : ScaleInput.NEVER, idleGaps.gaps(function), PanicState.CALM, running,
          ColdStartShare.UNKNOWN);
      histories.put(function, history);
    }
    return history;
  }

  /**
   * Publishes the desired counts that changed: every load report decides every function, and copying a thousand
   * counts into a new map each time was one of the steady run's largest allocators.
   */
  private void publish() {
    ShardedMap<Integer> published = desiredSnapshot;
    for (Map.Entry<String, History> entry : histories.entrySet()) {
      Integer previous = published.get(entry.getKey());
      int desired = entry.getValue().desired();
      if (previous == null || previous != desired) {
        desiredChanged.put(entry.getKey(), desired);
      }
    }
    desiredSnapshot = published.following(histories, desiredChanged);
    desiredChanged.clear();
  }
}
