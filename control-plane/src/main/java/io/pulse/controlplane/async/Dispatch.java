package io.pulse.controlplane.async;

import io.pulse.controlplane.registry.AsyncSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The dispatcher's rules, pure: what to run now, what to retry when, what to drop. Inputs are the kept invocations (a
 * snapshot), the ids this leader has on their way, each function's settings and the time.
 */
public final class Dispatch {

  private Dispatch() {}

  /**
   * How long and how many finished results are kept, and how many unfinished invocations the cluster takes before
   * refusing more (429).
   */
  public record Limits(Duration resultTtl, int maxResults, int maxPending, int maxResultBodyBytes) {
    public static final Limits DEFAULTS = new Limits(Duration.ofHours(1), 10_000, 10_000, 64 * 1024);
  }

  /**
   * One round's decision.
   *
   * @param start invocations to begin an attempt of now (oldest first, within each function's concurrency)
   * @param orphaned invocations whose function no longer exists: dead-lettered without an attempt
   * @param forget finished invocations whose results were kept long enough (or beyond the count bound)
   * @param wakeAt when a waiting retry becomes due; null when none waits
   */
  public record Plan(List<Invocation> start, List<Invocation> orphaned, List<String> forget,
      @Nullable Instant wakeAt) {
    public static final Plan NOTHING = new Plan(List.of(), List.of(), List.of(), null);

    public boolean isEmpty() {
      return start.isEmpty() && orphaned.isEmpty() && forget.isEmpty();
    }
  }

  private static final Comparator<Invocation> OLDEST_FIRST =
      Comparator.comparing(Invocation::acceptedAt).thenComparing(Invocation::id);

  /**
   * What to do now. An invocation RUNNING but not in {@code inFlight} was cut short by a failover (or a restart): it
   * runs again, which is why delivery is at least once.
   *
   * @param settingsOf a function's async settings; null when the function does not exist
   */
  public static Plan plan(Map<String, Invocation> kept, Set<String> inFlight,
      Function<String, @Nullable AsyncSettings> settingsOf, Instant now, Limits limits) {
    Map<String, Integer> busy = new HashMap<>();
    List<Invocation> due = new ArrayList<>();
    List<Invocation> finished = new ArrayList<>();
    List<Invocation> orphaned = new ArrayList<>();
    Instant wakeAt = null;
    for (Invocation invocation : kept.values()) {
      if (invocation.state().finished()) {
        finished.add(invocation);
      } else if (inFlight.contains(invocation.id())) {
        busy.merge(invocation.function(), 1, Integer::sum);
      } else if (settingsOf.apply(invocation.function()) == null) {
        orphaned.add(invocation);
      } else if (!invocation.notBefore().isAfter(now)) {
        due.add(invocation);
      } else if (wakeAt == null || invocation.notBefore().isBefore(wakeAt)) {
        wakeAt = invocation.notBefore();
      }
    }
    due.sort(OLDEST_FIRST);
    List<Invocation> start = new ArrayList<>();
    for (Invocation invocation : due) {
      AsyncSettings settings = settingsOf.apply(invocation.function());
      int running = busy.getOrDefault(invocation.function(), 0);
      if (settings != null && running < settings.concurrency()) {
        busy.put(invocation.function(), running + 1);
        start.add(invocation);
      }
    }
    List<String> forget = forget(finished, now, limits);
    if (start.isEmpty() && orphaned.isEmpty() && forget.isEmpty() && wakeAt == null) {
      return Plan.NOTHING;
    }
    return new Plan(List.copyOf(start), List.copyOf(orphaned), forget, wakeAt);
  }

  /** Results older than the TTL, then the oldest beyond the count bound. */
  private static List<String> forget(List<Invocation> finished, Instant now, Limits limits) {
    finished.sort(Comparator.comparing((Invocation i) -> i.finishedAt() == null ? i.acceptedAt() : i.finishedAt())
        .thenComparing(Invocation::id));
    int excess = Math.max(0, finished.size() - limits.maxResults());
    List<String> forget = new ArrayList<>();
    for (int i = 0; i < finished.size(); i++) {
      Invocation invocation = finished.get(i);
      Instant end = invocation.finishedAt() == null ? invocation.acceptedAt() : invocation.finishedAt();
      if (i < excess || !end.plus(limits.resultTtl()).isAfter(now)) {
        forget.add(invocation.id());
      }
    }
    return List.copyOf(forget);
  }

  /** True when the outcome is worth another attempt: no answer (timeout, refused), 5xx, 429 or 408. */
  public static boolean retryable(Invocation.Outcome outcome) {
    int status = outcome.status();
    return status == 0 || status >= 500 || status == 429 || status == 408;
  }

  /** True when the function's answer means it did the work: 1xx-3xx. */
  public static boolean succeeded(Invocation.Outcome outcome) {
    return outcome.status() >= 100 && outcome.status() < 400;
  }

  /**
   * The invocation after an attempt ended with {@code outcome}: succeeded; queued again after a backoff; or failed
   * (dead-lettered) once attempts are spent or the answer is final (a 4xx other than 408/429).
   */
  public static Invocation afterAttempt(Invocation running, Invocation.Outcome outcome, AsyncSettings settings,
      Instant now) {
    if (succeeded(outcome)) {
      return running.finished(InvocationState.SUCCEEDED, outcome, now);
    }
    if (!retryable(outcome) || running.attempts() >= settings.maxAttempts()) {
      return running.finished(InvocationState.FAILED, outcome, now);
    }
    return running.queued(now.plus(backoff(settings, running.attempts())), outcome);
  }

  /** The wait after attempt number {@code attempts} (1-based) failed: backoffMs doubled per attempt, capped. */
  public static Duration backoff(AsyncSettings settings, int attempts) {
    int doublings = Math.min(Math.max(0, attempts - 1), 40);
    long millis = settings.backoffMs() * (1L << Math.min(doublings, 20));
    return Duration.ofMillis(Math.min(settings.maxBackoffMs(), doublings > 20 ? settings.maxBackoffMs() : millis));
  }

  /** Unfinished invocations: what the overload bound counts. */
  public static long pending(Map<String, Invocation> kept) {
    return kept.values().stream().filter(i -> !i.state().finished()).count();
  }
}
