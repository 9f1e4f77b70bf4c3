package io.pulse.controlplane.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.registry.AsyncSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DispatchTest {

  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  private static final AsyncSettings SETTINGS = new AsyncSettings(3, 100, 1_000, 2, 0);
  private static final Dispatch.Limits LIMITS = new Dispatch.Limits(Duration.ofMinutes(10), 3, 100, 1024);

  private static Invocation accepted(String id, String function, Instant at) {
    return Invocation.accepted(id, function, "POST", "/", List.of(), "", null, at);
  }

  private static Map<String, Invocation> kept(Invocation... invocations) {
    Map<String, Invocation> kept = new HashMap<>();
    for (Invocation invocation : invocations) {
      kept.put(invocation.id(), invocation);
    }
    return kept;
  }

  private static Dispatch.Plan plan(Map<String, Invocation> kept, Set<String> inFlight, Instant now) {
    return Dispatch.plan(kept, inFlight, f -> f.equals("gone") ? null : SETTINGS, now, LIMITS);
  }

  @Test
  void plan_startsOldestFirst_withinEachFunctionsConcurrency() {
    Map<String, Invocation> kept = kept(accepted("c", "f", T0.plusMillis(3)), accepted("a", "f", T0.plusMillis(1)),
        accepted("b", "f", T0.plusMillis(2)), accepted("d", "g", T0.plusMillis(4)));

    Dispatch.Plan plan = plan(kept, Set.of(), T0.plusSeconds(1));

    assertThat(plan.start()).extracting(Invocation::id).containsExactly("a", "b", "d");
  }

  @Test
  void plan_countsWhatIsInFlight_againstTheConcurrency() {
    Map<String, Invocation> kept = kept(accepted("a", "f", T0).running(), accepted("b", "f", T0.plusMillis(1)),
        accepted("c", "f", T0.plusMillis(2)));

    assertThat(plan(kept, Set.of("a"), T0.plusSeconds(1)).start()).extracting(Invocation::id).containsExactly("b");
  }

  @Test
  void plan_runsAgainWhatARunningInvocationOfAnEarlierLeaderLeft() {
    Map<String, Invocation> kept = kept(accepted("a", "f", T0).running());

    assertThat(plan(kept, Set.of(), T0.plusSeconds(1)).start()).extracting(Invocation::id).containsExactly("a");
  }

  @Test
  void failedAttempts_areRetriedWithDoublingBackoff_thenDeadLettered() {
    Invocation.Outcome error = new Invocation.Outcome(503, "", null);
    Invocation first = accepted("a", "f", T0).running();

    Invocation afterFirst = Dispatch.afterAttempt(first, error, SETTINGS, T0);
    assertThat(afterFirst.state()).isEqualTo(InvocationState.QUEUED);
    assertThat(afterFirst.notBefore()).isEqualTo(T0.plusMillis(100));
    assertThat(plan(kept(afterFirst), Set.of(), T0.plusMillis(99)).start()).isEmpty();
    assertThat(plan(kept(afterFirst), Set.of(), T0.plusMillis(99)).wakeAt()).isEqualTo(T0.plusMillis(100));
    assertThat(plan(kept(afterFirst), Set.of(), T0.plusMillis(100)).start()).containsExactly(afterFirst);

    Invocation afterSecond = Dispatch.afterAttempt(afterFirst.running(), error, SETTINGS, T0.plusSeconds(1));
    assertThat(afterSecond.notBefore()).isEqualTo(T0.plusSeconds(1).plusMillis(200));

    Invocation afterThird = Dispatch.afterAttempt(afterSecond.running(), error, SETTINGS, T0.plusSeconds(2));
    assertThat(afterThird.state()).isEqualTo(InvocationState.FAILED);
    assertThat(afterThird.attempts()).isEqualTo(3);
    assertThat(afterThird.finishedAt()).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void backoff_isCappedAtMaxBackoff() {
    assertThat(Dispatch.backoff(SETTINGS, 1)).isEqualTo(Duration.ofMillis(100));
    assertThat(Dispatch.backoff(SETTINGS, 4)).isEqualTo(Duration.ofMillis(800));
    assertThat(Dispatch.backoff(SETTINGS, 5)).isEqualTo(Duration.ofMillis(1_000));
    assertThat(Dispatch.backoff(SETTINGS, 90)).isEqualTo(Duration.ofMillis(1_000));
  }

  @Test
  void outcomes_retryOn5xx429408AndNoAnswer_succeedOn2xx3xx_failAtOnceOnOther4xx() {
    Invocation running = accepted("a", "f", T0).running();
    for (int status : new int[] {0, 408, 429, 500, 504}) {
      assertThat(Dispatch.afterAttempt(running, new Invocation.Outcome(status, "", null), SETTINGS, T0).state())
          .as("status %d", status).isEqualTo(InvocationState.QUEUED);
    }
    assertThat(Dispatch.afterAttempt(running, new Invocation.Outcome(204, "", null), SETTINGS, T0).state())
        .isEqualTo(InvocationState.SUCCEEDED);
    assertThat(Dispatch.afterAttempt(running, new Invocation.Outcome(404, "", null), SETTINGS, T0).state())
        .isEqualTo(InvocationState.FAILED);
  }

  @Test
  void plan_deadLettersInvocationsOfADeletedFunction() {
    Dispatch.Plan plan = plan(kept(accepted("a", "gone", T0)), Set.of(), T0);

    assertThat(plan.orphaned()).extracting(Invocation::id).containsExactly("a");
    assertThat(plan.start()).isEmpty();
  }

  @Test
  void plan_forgetsResultsAfterTheirTtl_andTheOldestBeyondTheCountBound() {
    Invocation.Outcome ok = new Invocation.Outcome(200, "", null);
    Map<String, Invocation> kept = kept(
        accepted("old", "f", T0).running().finished(InvocationState.SUCCEEDED, ok, T0),
        accepted("a", "f", T0).running().finished(InvocationState.SUCCEEDED, ok, T0.plusSeconds(60)),
        accepted("b", "f", T0).running().finished(InvocationState.SUCCEEDED, ok, T0.plusSeconds(61)),
        accepted("c", "f", T0).running().finished(InvocationState.SUCCEEDED, ok, T0.plusSeconds(62)),
        accepted("d", "f", T0).running().finished(InvocationState.FAILED, ok, T0.plusSeconds(63)));

    assertThat(plan(kept, Set.of(), T0.plusSeconds(70)).forget()).containsExactly("old", "a");
    assertThat(plan(kept, Set.of(), T0.plusSeconds(600)).forget()).containsExactly("old", "a");
    assertThat(plan(kept, Set.of(), T0.plusSeconds(661)).forget()).containsExactly("old", "a", "b");
  }

  @Test
  void plan_isNothing_whenNothingWaits() {
    assertThat(plan(Map.of(), Set.of(), T0)).isSameAs(Dispatch.Plan.NOTHING);
  }
}
