package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.api.v1.FunctionLoad;
import io.pulse.api.v1.LoadReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Load reports as the control plane receives them. */
class DataPlaneLoadReportTest {

  private static Optional<FunctionLoad> load(LoadReport report, String function) {
    return report.getFunctionsList().stream().filter(l -> l.getFunction().equals(function)).findFirst();
  }

  private static Optional<FunctionLoad> steadyReport(List<LoadReport> reports) {
    List<LoadReport> byTime = reports.stream().sorted(Comparator.comparingLong(LoadReport::getTimestampMs)).toList();
    for (int i = 1; i < byTime.size(); i++) {
      Optional<FunctionLoad> before = load(byTime.get(i - 1), "load");
      Optional<FunctionLoad> after = load(byTime.get(i), "load");
      if (before.isPresent() && before.get().getInFlight() == 3 && after.isPresent()
          && after.get().getInFlight() == 3) {
        return after;
      }
    }
    return Optional.empty();
  }

  @Test
  void reports_carryPlausibleAveragesAndEveryArrivalOnce() throws Exception {
    Vertx backends = Vertx.vertx();
    try (DataPlaneFixture fx = DataPlaneFixture.start(c -> c.withReportIntervalMs(100));
        HoldingBackend a = HoldingBackend.start(backends, "load-a")) {
      assertThat(fx.controlPlane.reports()).allSatisfy(r -> assertThat(r.getDataPlaneId()).isEqualTo("dp-test"));
      fx.controlPlane.upsert(route("load", 10, instance(a.id(), a.port())));
      fx.awaitInstances("load", 1);
      List<Future<TestHttp.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        replies.add(fx.http.send(HttpMethod.GET, "/fn/load/", null, null));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> a.current() == 3);
      long heldSince = System.nanoTime();
      // Two consecutive reports that both saw 3 in flight when they closed: the interval between them was at 3
      // throughout, so its time-weighted average is exactly 3.
      await().atMost(Duration.ofSeconds(10)).until(() -> steadyReport(fx.controlPlane.reports()).isPresent());
      FunctionLoad steady = steadyReport(fx.controlPlane.reports()).orElseThrow();
      assertThat(steady.getQueued()).isZero();
      assertThat(steady.getArrivals()).isZero();
      assertThat(steady.getAverageConcurrency()).isCloseTo(3.0, Offset.offset(1e-9));
      assertThat(steady.getExecutionMicros()).as("no call has finished yet").isZero();

      long heldMicros = (System.nanoTime() - heldSince) / 1000;
      a.releaseAll();
      for (Future<TestHttp.Reply> reply : replies) {
        assertThat(await(reply).status()).isEqualTo(200);
      }
      // Once idle, the function drops out of the reports; until then, averages stay within what was possible.
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        List<LoadReport> reports = fx.controlPlane.reports();
        return load(reports.getLast(), "load").isEmpty();
      });
      List<LoadReport> all = fx.controlPlane.reports();
      // The calls' mean execution time goes with the load: each ran at least as long as the backend held it.
      assertThat(all.stream().flatMap(r -> load(r, "load").stream()).mapToLong(FunctionLoad::getExecutionMicros)
          .max().orElseThrow()).isGreaterThanOrEqualTo(heldMicros);
      long arrivals = all.stream().flatMap(r -> load(r, "load").stream()).mapToLong(FunctionLoad::getArrivals).sum();
      assertThat(arrivals).isEqualTo(3);
      assertThat(all.stream().flatMap(r -> load(r, "load").stream()))
          .allSatisfy(l -> assertThat(l.getAverageConcurrency()).isBetween(0.0, 3.0 + 1e-9));
    } finally {
      backends.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
