package io.pulse.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.routing.Instance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LbPolicyTest {

  private static final Instance A = new Instance("a", "h", 1, "w");
  private static final Instance B = new Instance("b", "h", 2, "w");
  private static final Instance C = new Instance("c", "h", 3, "w");
  private final LbPolicy policy = LbPolicy.leastLoaded();

  @Test
  void pick_leastLoadedWithFreeSlot() {
    Map<String, Integer> load = Map.of("a", 2, "b", 0, "c", 1);
    assertThat(policy.pick(List.of(A, B, C), i -> load.get(i.id()), 3, 0)).isEqualTo(B);
  }

  @Test
  void pick_nullWhenEveryInstanceIsFull() {
    Map<String, Integer> load = Map.of("a", 2, "b", 2);
    assertThat(policy.pick(List.of(A, B), i -> load.get(i.id()), 2, 0)).isNull();
    assertThat(policy.pick(List.of(), i -> 0, 2, 0)).isNull();
  }

  @Test
  void pick_tiesRotateWithTheStart() {
    assertThat(policy.pick(List.of(A, B, C), i -> 0, 1, 0)).isEqualTo(A);
    assertThat(policy.pick(List.of(A, B, C), i -> 0, 1, 1)).isEqualTo(B);
    assertThat(policy.pick(List.of(A, B, C), i -> 0, 1, 5)).isEqualTo(C);
  }
}
