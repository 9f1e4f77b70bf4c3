package io.pulse.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.async.Invocation;
import io.pulse.controlplane.async.InvocationState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationHorizonTest {

  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  private static final InvocationHorizon HORIZON = new InvocationHorizon(Duration.ofHours(24));

  private static Invocation accepted(String id, Instant at) {
    return Invocation.accepted(id, "fn", "POST", "/", List.of(), "", null, at);
  }

  @Test
  void tombstone_expiresExactlyAtTheHorizonAfterItsForgetting() {
    StoredInvocation tombstone = StoredInvocation.tombstone("a", 5, T0);
    assertThat(HORIZON.expired(tombstone, T0.plus(Duration.ofHours(24)).minusMillis(1))).isFalse();
    assertThat(HORIZON.expired(tombstone, T0.plus(Duration.ofHours(24)))).isTrue();
  }

  @Test
  void liveEntry_countsFromItsLastActivity_notItsAcceptance() {
    Invocation finished = accepted("a", T0).running().finished(InvocationState.SUCCEEDED,
        new Invocation.Outcome(200, "", null), T0.plus(Duration.ofHours(3)));
    StoredInvocation entry = StoredInvocation.live(7, finished);
    assertThat(entry.lastActivity()).isEqualTo(T0.plus(Duration.ofHours(3)));
    assertThat(HORIZON.expired(entry, T0.plus(Duration.ofHours(26)))).isFalse();
    assertThat(HORIZON.expired(entry, T0.plus(Duration.ofHours(27)))).isTrue();

    Invocation retrying = accepted("b", T0).running().queued(T0.plus(Duration.ofHours(2)),
        new Invocation.Outcome(503, "", null));
    assertThat(StoredInvocation.live(8, retrying).lastActivity()).isEqualTo(T0.plus(Duration.ofHours(2)));
  }

  @Test
  void functionsSecretsAndDrains_neverExpire() {
    Instant muchLater = T0.plus(Duration.ofDays(10_000));
    assertThat(HORIZON.expired(StoredFunction.tombstone("web", 1), muchLater)).isFalse();
    assertThat(HORIZON.expired(new StoredSecret("db", 2, null), muchLater)).isFalse();
    assertThat(HORIZON.expired(new StoredDrain("w-1", 3, false), muchLater)).isFalse();
  }

  @Test
  void expiredKeys_namesOnlyTheInvocationsPastTheHorizon() {
    StoredInvocation old = StoredInvocation.tombstone("old", 1, T0);
    StoredInvocation recent = StoredInvocation.tombstone("recent", 2, T0.plus(Duration.ofHours(2)));
    StoredFunction function = StoredFunction.tombstone("web", 3);
    Map<String, StoredEntry> entries = Map.of(old.key(), old, recent.key(), recent, function.key(), function);
    assertThat(HORIZON.expiredKeys(entries, T0.plus(Duration.ofHours(25)))).containsExactly(old.key());
  }

  @Test
  void tombstone_keepsItsTimeThroughTheCodec_andAnOldOneWithoutTimeIsLongExpired() {
    StoredInvocation tombstone = StoredInvocation.tombstone("a", 5, T0);
    assertThat(StoredFunctionCodec.decode(StoredFunctionCodec.encode(tombstone))).isEqualTo(tombstone);
    StoredEntry legacy = StoredFunctionCodec.decode("{\"invocation\":\"z\",\"seq\":4}");
    assertThat(((StoredInvocation) legacy).forgottenAt()).isEqualTo(Instant.EPOCH);
    assertThat(HORIZON.expired(legacy, T0)).isTrue();
  }
}
