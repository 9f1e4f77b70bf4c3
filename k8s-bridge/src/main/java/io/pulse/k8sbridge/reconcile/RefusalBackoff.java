package io.pulse.k8sbridge.reconcile;

import io.pulse.common.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Per object, how often the API server refused it in a row and when to try again: the wait doubles from {@code first}
 * up to {@code max}, so that an object the server keeps refusing costs a request now and then, not one per pass. An
 * object whose action took effect, or that the plan no longer mentions, starts afresh. Time is a parameter; not
 * thread-safe (the reconcile loop's thread owns it).
 */
final class RefusalBackoff {

  /** An object's refusals so far: the last one, how many in a row, and when it may be tried again. */
  record Entry(Refusal last, int times, Instant retryAt) {}

  private final Backoff backoff;
  private final Map<String, Entry> entries = new HashMap<>();

  RefusalBackoff(Duration first, Duration max) {
    this.backoff = Backoff.doubling(first, max);
  }

  /** Whether {@code action}'s object may be tried now. */
  boolean due(Action action, Instant now) {
    Entry entry = entries.get(action.key());
    return entry == null || !now.isBefore(entry.retryAt());
  }

  /** Records a refusal; answers how many times in a row the object has been refused and when it is due again. */
  Entry refused(Refusal refusal, Instant now) {
    Entry before = entries.get(refusal.action().key());
    int times = before == null ? 1 : before.times() + 1;
    Entry entry = new Entry(refusal, times, now.plusMillis(backoff.delayMillis(times - 1)));
    entries.put(refusal.action().key(), entry);
    return entry;
  }

  void applied(Action action) {
    entries.remove(action.key());
  }

  /** Forgets the objects the current plan no longer mentions: they converged some other way or are not wanted. */
  void retain(Collection<Action> planned) {
    Set<String> keys = planned.stream().map(Action::key).collect(Collectors.toSet());
    entries.keySet().retainAll(keys);
  }

  /** When the first backed-off object is due again, if any. */
  Optional<Instant> nextRetry() {
    return entries.values().stream().map(Entry::retryAt).min(Instant::compareTo);
  }

  /** The last refusals of the objects refused at least {@code times} times in a row. */
  List<Refusal> persistent(int times) {
    return entries.values().stream().filter(e -> e.times() >= times).map(Entry::last)
        .sorted(Comparator.comparing(r -> r.action().key())).toList();
  }
}
