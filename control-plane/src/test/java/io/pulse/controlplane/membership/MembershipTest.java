package io.pulse.controlplane.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MembershipTest {

  private static WorkerInfo worker(String id) {
    return new WorkerInfo(id, "127.0.0.1:1", "host", "fake", 1000, 1024);
  }

  @Test
  void story_registerHeartbeatTimeoutReregister() {
    Membership membership = new Membership(42, 5000);
    membership.register(worker("w1"), 0);
    membership.register(worker("w2"), 0);

    assertThat(membership.heartbeat("w1", 4000)).isTrue();
    assertThat(membership.expire(4999)).isEmpty();

    // w2 silent for 5 s: dead. w1 heartbeated at 4 s: alive.
    assertThat(membership.expire(5000)).extracting(WorkerState::id).containsExactly("w2");
    assertThat(membership.alive()).extracting(WorkerInfo::id).containsExactly("w1");
    assertThat(membership.all()).extracting(WorkerState::alive).containsExactly(true, false);

    // A dead worker's heartbeat is refused: it must register again.
    assertThat(membership.heartbeat("w2", 6000)).isFalse();
    assertThat(membership.register(worker("w2"), 6000)).isPresent();
    assertThat(membership.isAlive("w2")).isTrue();
    assertThat(membership.expire(9000)).extracting(WorkerState::id).containsExactly("w1");
    assertThat(membership.epoch()).isEqualTo(42);
  }

  @Test
  void aPauseOfThisControlPlane_isNotTheWorkersSilence_theyHaveAFullTimeoutAfterIt() {
    Membership membership = new Membership(1, 5000);
    membership.register(worker("w1"), 0);
    membership.register(worker("w2"), 0);
    for (long t = 0; t <= 2000; t += 1000) {
      assertThat(membership.watch(t)).as("housekeeping every second: watching").isZero();
    }
    membership.heartbeat("w1", 2000);
    membership.heartbeat("w2", 2000);

    // Frozen from 2 s to 11 s (a VM snapshot): its first housekeeping after runs before any worker's heartbeat.
    assertThat(membership.watch(11_000)).isEqualTo(9000);
    assertThat(membership.expire(11_000)).as("silent 9 s, 8 of them unheard").isEmpty();
    assertThat(membership.nextExpiryMillis()).isEqualTo(16_000);

    // w1 heartbeats again; w2 never does, and dies a full timeout after the pause.
    for (long t = 12_000; t < 16_000; t += 1000) {
      assertThat(membership.heartbeat("w1", t)).isTrue();
      assertThat(membership.watch(t)).isZero();
      assertThat(membership.expire(t)).isEmpty();
    }
    membership.watch(16_000);
    assertThat(membership.expire(16_000)).extracting(WorkerState::id).containsExactly("w2");
    assertThat(membership.isAlive("w1")).isTrue();
  }

  @Test
  void whileWatching_aSilentWorkerDiesOnTime_halfATimeoutBetweenWatchesIsNoPause_norAClockStepBack() {
    Membership membership = new Membership(1, 5000);
    membership.register(worker("w1"), 0);
    for (long t = 0; t <= 4000; t += 1000) {
      assertThat(membership.watch(t)).isZero();
    }

    assertThat(membership.watch(6500)).as("2.5 s since the last watch: half the timeout").isZero();
    assertThat(membership.watch(6000)).as("the clock stepped back").isZero();
    assertThat(membership.expire(6500)).extracting(WorkerState::id).containsExactly("w1");
  }

  @Test
  void register_ofAWorkerWhoseDrainIsOnRecord_isDrainingFromTheStart_untilResumed() {
    AtomicReference<Set<String>> store = new AtomicReference<>(Set.of("w1"));
    Membership membership = new Membership(2, 5000, store::get);

    membership.register(worker("w1"), 0);
    membership.register(worker("w2"), 0);

    assertThat(membership.isDraining("w1")).isTrue();
    assertThat(membership.schedulable()).extracting(WorkerInfo::id).containsExactly("w2");
    store.set(Set.of());
    assertThat(membership.syncDrains()).extracting(WorkerState::id).containsExactly("w1");
    membership.register(worker("w1"), 10);
    assertThat(membership.isDraining("w1")).as("the resume on record holds across its re-registration").isFalse();
    assertThat(membership.knows("w1")).isTrue();
    assertThat(membership.knows("w3")).isFalse();
  }

  @Test
  void syncDrains_followsTheDrainStoreAlone_bothWays_andOnlyReportsChanges() {
    AtomicReference<Set<String>> store = new AtomicReference<>(Set.of());
    Membership membership = new Membership(2, 5000, store::get);
    membership.register(worker("w1"), 0);
    membership.register(worker("w2"), 0);

    store.set(Set.of("w2", "w9")); // w9: recorded for a worker this term has not seen; it registers draining
    assertThat(membership.syncDrains()).extracting(WorkerState::id, WorkerState::draining)
        .containsExactly(tuple("w2", true));
    assertThat(membership.syncDrains()).as("nothing changed since").isEmpty();
    membership.register(worker("w9"), 1);
    assertThat(membership.isDraining("w9")).isTrue();

    store.set(Set.of("w9")); // a resume of w2 that a registry merge brought
    assertThat(membership.syncDrains()).extracting(WorkerState::id, WorkerState::draining)
        .containsExactly(tuple("w2", false));
    assertThat(membership.schedulable()).extracting(WorkerInfo::id).containsExactly("w1", "w2");
  }

  @Test
  void listen_hearsRegistrationDrainingAndDeath_notHeartbeats() {
    AtomicReference<Set<String>> store = new AtomicReference<>(Set.of());
    Membership membership = new Membership(1, 5000, store::get);
    java.util.List<String> heard = new java.util.ArrayList<>();
    membership.listen(s -> heard.add(s.id() + (s.alive() ? " alive" : " dead") + (s.draining() ? " draining" : "")));

    membership.register(worker("w1"), 0);
    membership.heartbeat("w1", 1000);
    store.set(Set.of("w1"));
    membership.syncDrains();
    membership.expire(6000);

    assertThat(heard).containsExactly("w1 alive", "w1 alive draining", "w1 dead draining");
  }

  @Test
  void heartbeat_unknownWorker_isRefused() {
    assertThat(new Membership(1, 5000).heartbeat("nobody", 0)).isFalse();
  }

  @Test
  void workerInfo_badFields_areNamed() {
    assertThatThrownBy(() -> new WorkerInfo("", "a:1", "h", "fake", 1, 1)).hasMessageContaining("worker.workerId");
    assertThatThrownBy(() -> new WorkerInfo("w", "", "h", "fake", 1, 1)).hasMessageContaining("worker.address");
    assertThatThrownBy(() -> new WorkerInfo("w", "a:1", "h", "fake", -1, 1)).hasMessageContaining("capacity");
  }

  @Test
  void nextExpiry_isTheEarliestLiveWorkersTimeout_andNoneWithoutLiveWorkers() {
    Membership membership = new Membership(1, 5000);
    assertThat(membership.nextExpiryMillis()).isEqualTo(Long.MAX_VALUE);
    membership.register(worker("w1"), 0);
    membership.register(worker("w2"), 1000);
    assertThat(membership.nextExpiryMillis()).isEqualTo(5000);

    membership.heartbeat("w1", 3000);
    assertThat(membership.nextExpiryMillis()).isEqualTo(6000);

    membership.expire(6000);
    assertThat(membership.nextExpiryMillis()).isEqualTo(8000);
    membership.expire(8000);
    assertThat(membership.nextExpiryMillis()).isEqualTo(Long.MAX_VALUE);
  }
}
