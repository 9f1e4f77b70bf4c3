package io.pulse.controlplane.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstRouteWaitsTest {

  private final FirstRouteWaits waits = new FirstRouteWaits();
  private final Map<String, Integer> ready = new HashMap<>();

  private int ready(String function) {
    return ready.getOrDefault(function, 0);
  }

  @Test
  void aWaitedFunction_isReachedOnce_whenItsFirstInstanceIsReady_withTheTimeSinceItWasScaledFromZero() {
    waits.awaiting("a", 1_000);
    waits.awaiting("b", 1_010);
    assertThat(waits.reached(this::ready, 1_050)).isEmpty();

    ready.put("a", 1);
    assertThat(waits.reached(this::ready, 1_120)).containsExactly(new FirstRouteWaits.Reached("a", 120));
    // Reached once: later changes are coalesced as usual.
    assertThat(waits.reached(this::ready, 1_130)).isEmpty();
    assertThat(waits.size()).isEqualTo(1);
  }

  @Test
  void aSecondScaleFromZeroReport_keepsTheFirstTime() {
    waits.awaiting("a", 1_000);
    waits.awaiting("a", 1_100);
    ready.put("a", 2);
    assertThat(waits.reached(this::ready, 1_200)).containsExactly(new FirstRouteWaits.Reached("a", 200));
  }

  @Test
  void functionsNobodyWaitsFor_andDeletedOnes_areForgotten() {
    waits.awaiting("a", 0);
    waits.awaiting("b", 0);
    waits.awaiting("c", 0);
    waits.retain(f -> !f.equals("a"));
    waits.forget("b");
    ready.put("a", 1);
    ready.put("b", 1);
    ready.put("c", 1);
    assertThat(waits.reached(this::ready, 10)).extracting(FirstRouteWaits.Reached::function).containsExactly("c");
  }

  @Test
  void functionsNotScaledFromZero_areNeverUrgent() {
    ready.put("a", 1);
    assertThat(waits.reached(this::ready, 0)).isEmpty();
  }
}
