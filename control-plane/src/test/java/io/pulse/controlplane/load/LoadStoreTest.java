package io.pulse.controlplane.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadStoreTest {

  private static FunctionLoadSample sample(String function, double average, int inFlight, int queued) {
    return new FunctionLoadSample(function, average, inFlight, queued, inFlight + queued);
  }

  @Test
  void total_sumsOverDataPlanes() {
    LoadStore store = LoadStore.empty()
        .report("dp-1", 0, List.of(sample("f", 2.5, 2, 1)))
        .report("dp-2", 10, List.of(sample("f", 1.5, 1, 0), sample("g", 1, 1, 0)));

    assertThat(store.total("f")).isEqualTo(new LoadTotal(4.0, 3, 1, 4));
    assertThat(store.total("g").averageConcurrency()).isEqualTo(1.0);
    assertThat(store.total("unknown")).isEqualTo(LoadTotal.ZERO);
  }

  @Test
  void executionTime_isTheShortestAnyDataPlaneMeasured_noneCountingAsUnknown() {
    LoadStore store = LoadStore.empty()
        .report("dp-1", 0, List.of(new FunctionLoadSample("f", 1, 1, 0, 1, 900_000)))
        .report("dp-2", 0, List.of(new FunctionLoadSample("f", 1, 1, 0, 1, 0)))
        .report("dp-3", 0, List.of(new FunctionLoadSample("f", 1, 1, 0, 1, 300_000)));

    assertThat(store.total("f").executionMicros()).isEqualTo(300_000);
    assertThat(store.remove("dp-3").total("f").executionMicros()).isEqualTo(900_000);
    assertThat(store.remove("dp-1").remove("dp-3").total("f").executionMicros()).isZero();
    assertThatThrownBy(() -> new FunctionLoadSample("f", 1, 1, 0, 1, -1)).hasMessageContaining("executionMicros");
  }

  @Test
  void report_replacesTheDataPlanesPreviousReport() {
    LoadStore store = LoadStore.empty()
        .report("dp-1", 0, List.of(sample("f", 3, 3, 0)))
        .report("dp-1", 1000, List.of());

    // Absent from the latest report means no load at that data plane.
    assertThat(store.total("f")).isEqualTo(LoadTotal.ZERO);
    assertThat(store.functions()).isEmpty();
  }

  @Test
  void expire_forgetsQuietDataPlanesOnly() {
    LoadStore store = LoadStore.empty()
        .report("quiet", 0, List.of(sample("f", 1, 1, 0)))
        .report("busy", 2500, List.of(sample("f", 2, 2, 0)));

    LoadStore expired = store.expire(3000, 3000);

    assertThat(expired.dataPlanes()).containsExactly("busy");
    assertThat(expired.total("f").averageConcurrency()).isEqualTo(2.0);
    assertThat(store.dataPlanes()).containsExactlyInAnyOrder("quiet", "busy");
  }

  @Test
  void remove_dropsOneDataPlane() {
    LoadStore store = LoadStore.empty().report("dp-1", 0, List.of(sample("f", 1, 1, 0)));

    assertThat(store.remove("dp-1").total("f")).isEqualTo(LoadTotal.ZERO);
    assertThat(store.remove("other")).isSameAs(store);
  }

  @Test
  void loadTotal_activity() {
    assertThat(LoadTotal.ZERO.active()).isFalse();
    assertThat(new LoadTotal(0, 0, 0, 1).active()).isTrue();
    assertThat(new LoadTotal(0, 0, 2, 0).demand()).isEqualTo(2);
  }

  @Test
  void sample_badValues_areRejectedNamingTheField() {
    assertThatThrownBy(() -> new FunctionLoadSample("f", -1, 0, 0, 0)).hasMessageContaining("averageConcurrency");
    assertThatThrownBy(() -> new FunctionLoadSample("f", 0, -1, 0, 0)).hasMessageContaining("inFlight");
    assertThatThrownBy(() -> new FunctionLoadSample("", 0, 0, 0, 0)).hasMessageContaining("function");
  }
}
