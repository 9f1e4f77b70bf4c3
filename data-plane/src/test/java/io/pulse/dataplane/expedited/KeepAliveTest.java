package io.pulse.dataplane.expedited;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.SandboxTemplate;
import io.pulse.dataplane.routing.ScalingPolicy;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class KeepAliveTest {

  private static Route route(long revision, ScalingPolicy policy, int keepAliveMs) {
    return new Route("f", revision, 1, 30, List.of(), policy, 60, keepAliveMs, SandboxTemplate.EMPTY);
  }

  @Test
  void keptForTheFunctionsKeepAlive_whileItsRouteCanStillUseIt() {
    assertThat(KeepAlive.idleMillis(route(3, ScalingPolicy.DUAL_TRACK, 400), 3, false)).isEqualTo(400);
    assertThat(KeepAlive.idleMillis(route(3, ScalingPolicy.EMERGENCY_ONLY, 400), 3, false)).isEqualTo(400);
    assertThat(KeepAlive.idleMillis(route(3, ScalingPolicy.DUAL_TRACK, 0), 3, false)).as("single use").isZero();
  }

  @Test
  void deletedAtOnce_whenTheFunctionIsGone_movedOn_lostTheExpeditedTrack_orTheDataPlaneCloses() {
    assertThat(KeepAlive.idleMillis(null, 3, false)).isZero();
    assertThat(KeepAlive.idleMillis(route(4, ScalingPolicy.DUAL_TRACK, 400), 3, false)).isZero();
    assertThat(KeepAlive.idleMillis(route(3, ScalingPolicy.KPA, 400), 3, false)).isZero();
    assertThat(KeepAlive.idleMillis(route(3, ScalingPolicy.DUAL_TRACK, 400), 3, true)).isZero();
  }

  @Test
  void surplus_oneIdleInstancePerFreeRegularSlot_theRestCoverWhatRegularCannot() {
    assertThat(KeepAlive.surplus(3, 0)).as("no Regular slot free: all stay").isZero();
    assertThat(KeepAlive.surplus(3, 1)).isEqualTo(1);
    assertThat(KeepAlive.surplus(3, 5)).as("never more than are idle").isEqualTo(3);
    assertThat(KeepAlive.surplus(0, 5)).isZero();
  }

  @Property
  void surplus_neverExceedsTheIdleOrTheFreeSlots(@ForAll @IntRange(max = 100) int idle,
      @ForAll @IntRange(min = -1, max = 100) int free) {
    int surplus = KeepAlive.surplus(idle, free);
    assertThat(surplus).isBetween(0, idle);
    assertThat(surplus).isLessThanOrEqualTo(Math.max(0, free));
    assertThat(idle - surplus).as("what stays covers what Regular cannot").isEqualTo(Math.max(0, idle - Math.max(0, free)));
  }

  @Property
  void keptOnlyAtTheRoutesRevisionUnderAnExpeditedPolicy_andNeverLongerThanItsKeepAlive(
      @ForAll ScalingPolicy policy, @ForAll @LongRange(min = 1, max = 5) long routeRevision,
      @ForAll @LongRange(min = 1, max = 5) long instanceRevision, @ForAll @IntRange(max = 600_000) int keepAliveMs,
      @ForAll boolean closing) {
    Route current = route(routeRevision, policy, keepAliveMs);
    int idle = KeepAlive.idleMillis(current, instanceRevision, closing);
    assertThat(idle).isBetween(0, keepAliveMs);
    assertThat(KeepAlive.stays(current, instanceRevision, closing)).isEqualTo(idle > 0);
    if (idle > 0) {
      assertThat(routeRevision).isEqualTo(instanceRevision);
      assertThat(policy.expedited()).isTrue();
      assertThat(closing).isFalse();
      assertThat(idle).isEqualTo(keepAliveMs);
    }
  }
}
