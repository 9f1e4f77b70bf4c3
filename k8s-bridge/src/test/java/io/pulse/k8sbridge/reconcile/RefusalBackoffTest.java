package io.pulse.k8sbridge.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalBackoffTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Action SERVICE = new Action.Delete(ObjectKind.SERVICE, "pulse", "alpha");
  private static final Action SLICE = new Action.Delete(ObjectKind.ENDPOINT_SLICE, "pulse", "alpha-pulse");

  private final RefusalBackoff backoff = new RefusalBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5));

  @Test
  void refused_waitDoublesPerRefusalInARowUpToTheCap() {
    assertThat(backoff.due(SERVICE, T0)).isTrue();
    Instant now = T0;
    List<Long> waits = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RefusalBackoff.Entry entry = backoff.refused(refusal(SERVICE), now);
      waits.add(Duration.between(now, entry.retryAt()).toSeconds());
      assertThat(entry.times()).isEqualTo(i + 1);
      assertThat(backoff.due(SERVICE, entry.retryAt().minusMillis(1))).isFalse();
      assertThat(backoff.due(SERVICE, entry.retryAt())).isTrue();
      now = entry.retryAt();
    }
    assertThat(waits).containsExactly(1L, 2L, 4L, 5L, 5L);
    assertThat(backoff.due(SLICE, T0)).as("per object: others are not held back").isTrue();
  }

  @Test
  void persistent_onlyFromTheThirdRefusalInARow_andAppliedStartsAfresh() {
    backoff.refused(refusal(SERVICE), T0);
    backoff.refused(refusal(SERVICE), T0.plusSeconds(1));
    backoff.refused(refusal(SLICE), T0);
    assertThat(backoff.persistent(3)).isEmpty();

    backoff.refused(refusal(SERVICE), T0.plusSeconds(3));
    assertThat(backoff.persistent(3)).extracting(r -> r.action().key()).containsExactly("SERVICE/pulse/alpha");

    backoff.applied(SERVICE);
    assertThat(backoff.persistent(3)).isEmpty();
    assertThat(backoff.due(SERVICE, T0)).isTrue();
    assertThat(backoff.refused(refusal(SERVICE), T0).times()).isEqualTo(1);
  }

  @Test
  void retain_forgetsObjectsThePlanNoLongerMentions() {
    backoff.refused(refusal(SERVICE), T0);
    backoff.refused(refusal(SLICE), T0);
    assertThat(backoff.nextRetry()).contains(T0.plusSeconds(1));

    backoff.retain(List.of(SLICE));
    assertThat(backoff.due(SERVICE, T0)).isTrue();
    assertThat(backoff.due(SLICE, T0)).isFalse();
    backoff.retain(List.of());
    assertThat(backoff.nextRetry()).isEmpty();
  }

  private static Refusal refusal(Action action) {
    return new Refusal(action, 409, "AlreadyExists", "taken", List.of());
  }
}
