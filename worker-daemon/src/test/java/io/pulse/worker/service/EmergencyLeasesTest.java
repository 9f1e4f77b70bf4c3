package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.sandbox.CreatorLease;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The reaping decision as a story in time, on a manual clock. */
class EmergencyLeasesTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final EmergencyLeases leases = new EmergencyLeases(now::get, 2_000);

  @Test
  void expire_aLeaseNotRenewed_expiresExactlyAtItsEnd() {
    leases.grant("e-1", new CreatorLease("dp-a", 3_000));

    now.addAndGet(2_999);
    assertThat(leases.expire()).isEmpty();
    now.addAndGet(1);
    assertThat(leases.expire()).containsOnlyKeys("e-1");
    assertThat(leases.expire()).as("taken out once").isEmpty();
    assertThat(leases.size()).isZero();
  }

  @Test
  void renew_byItsCreator_pushesTheEndBack() {
    leases.grant("e-1", new CreatorLease("dp-a", 3_000));
    leases.grant("e-2", new CreatorLease("dp-a", 3_000));

    now.addAndGet(2_000);
    assertThat(leases.renew("dp-a", List.of("e-1"))).isEmpty();
    now.addAndGet(1_000);

    assertThat(leases.expire()).as("e-2 was not renewed").containsOnlyKeys("e-2");
    now.addAndGet(1_999);
    assertThat(leases.expire()).isEmpty();
    now.addAndGet(1);
    assertThat(leases.expire()).containsOnlyKeys("e-1");
  }

  @Test
  void renew_byAnotherCreator_orOfAnUnknownId_renewsNothingAndSaysSo() {
    leases.grant("e-1", new CreatorLease("dp-a", 3_000));

    now.addAndGet(2_000);
    assertThat(leases.renew("dp-b", List.of("e-1", "gone"))).containsExactly("e-1", "gone");
    now.addAndGet(1_000);

    assertThat(leases.expire()).containsOnlyKeys("e-1");
    assertThat(leases.renew("dp-a", List.of("e-1"))).as("reaped: no longer renewable").containsExactly("e-1");
  }

  @Test
  void grant_withoutALease_holdsNothing_andReleaseDropsALease() {
    leases.grant("legacy", CreatorLease.NONE);
    leases.grant("e-1", new CreatorLease("dp-a", 3_000));

    leases.release("e-1");
    now.addAndGet(1_000_000);

    assertThat(leases.expire()).isEmpty();
  }

  @Test
  void expire_reportsTheCreatorOfEachReapedInstance() {
    leases.grant("e-2", new CreatorLease("dp-b", 500));
    leases.grant("e-1", new CreatorLease("dp-a", 500));

    now.addAndGet(500);

    assertThat(leases.expire()).containsExactly(
        java.util.Map.entry("e-1", new EmergencyLeases.Held("dp-a", 500, 1_500)),
        java.util.Map.entry("e-2", new EmergencyLeases.Held("dp-b", 500, 1_500)));
  }

  @Test
  void watch_afterAGapLongerThanThePauseBound_givesEveryLeaseAFullTermFromNow() {
    leases.grant("e-1", new CreatorLease("dp-a", 3_000));
    leases.grant("e-2", new CreatorLease("dp-a", 60_000));
    assertThat(leases.watch()).isZero();

    now.addAndGet(9_000); // the worker was frozen: e-1's lease ran out unheard at 4,000
    assertThat(leases.watch()).isEqualTo(9_000);

    assertThat(leases.expire()).as("nothing reaped on waking").isEmpty();
    assertThat(leases.lease("e-1").expiresAtMs()).isEqualTo(13_000);
    assertThat(leases.lease("e-2").expiresAtMs()).isEqualTo(70_000);
    for (int i = 0; i < 2; i++) {
      now.addAndGet(1_000);
      assertThat(leases.watch()).isZero();
      assertThat(leases.expire()).isEmpty();
    }
    now.addAndGet(1_000);
    assertThat(leases.watch()).isZero();
    assertThat(leases.expire()).as("its creator still silent a full lease later").containsOnlyKeys("e-1");
  }

  @Test
  void watch_gapsWithinTheBound_orAClockStepBack_areNoPause() {
    leases.grant("e-1", new CreatorLease("dp-a", 3_000));
    leases.watch();

    now.addAndGet(2_000);
    assertThat(leases.watch()).isZero();
    now.addAndGet(-5_000);
    assertThat(leases.watch()).isZero();
    now.addAndGet(6_000);
    assertThat(leases.watch()).as("measured from the latest time seen").isZero();

    assertThat(leases.expire()).containsOnlyKeys("e-1");
  }
}
