package io.pulse.controlplane;

import static io.pulse.controlplane.ControlPlaneHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.api.v1.HostReservation;
import io.pulse.api.v1.HostReservations;
import io.pulse.api.v1.Resources;
import io.pulse.controlplane.ControlPlaneHarness.RouteWatcher;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the Kubernetes bridge reports that other pods hold on a host is counted as allocated on that host's workers:
 * functions do not overcommit hosts that BaaS components occupy.
 */
class HostReservationsPlacementTest {

  private ControlPlaneHarness harness;
  private FakeWorker worker;

  @AfterEach
  void tearDown() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (worker != null) {
      worker.close();
    }
  }

  private void reserve(int cpuMillis, int memoryMiB) {
    harness.stub.reportHostReservations(HostReservations.newBuilder().setBridgeId("bridge-1")
        .addHosts(HostReservation.newBuilder().setHostname("fake-host")
            .setReserved(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryMib(memoryMiB)))
        .build());
  }

  @Test
  void reservedHost_refusesInstancesUntilTheReservationShrinks() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 4096);
    harness.join(worker);
    // The host's pods hold 900 of the worker's 1000 millicores: a 250m instance does not fit.
    reserve(900, 0);
    RouteWatcher dataPlane = harness.watch("dp-1");

    harness.create(spec("kept-out", 1, 60));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        harness.scrapeMetrics().contains("pulse_controlplane_instance_creations_total{result=\"no_capacity\"}"));
    assertThat(worker.creates).isEmpty();

    reserve(500, 0);

    await().atMost(Duration.ofSeconds(10)).until(() -> dataPlane.instanceIds("kept-out").size() == 1);
    assertThat(worker.creates).hasSize(1);
  }

  private io.vertx.core.json.JsonObject status(String function) throws Exception {
    return new io.vertx.core.json.JsonObject(harness.get("/v1/functions/" + function).body()).getJsonObject("status");
  }

  @Test
  void noRoom_isInTheFunctionsStatusAndItsRoute_untilAnInstanceIsPlaced() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 4096);
    harness.join(worker);
    reserve(900, 0);
    RouteWatcher dataPlane = harness.watch("dp-1");

    harness.create(spec("kept-out", 1, 60));

    await().atMost(Duration.ofSeconds(10)).until(() -> status("kept-out").getJsonObject("lastPlacementFailure") != null
        && dataPlane.functions.get("kept-out").getNoCapacity());
    io.vertx.core.json.JsonObject failure = status("kept-out").getJsonObject("lastPlacementFailure");
    assertThat(failure.getString("message")).isEqualTo("no worker has 250m CPU free: w1 has 100m CPU");
    assertThat(java.time.Instant.parse(failure.getString("since")))
        .isBeforeOrEqualTo(java.time.Instant.parse(failure.getString("at")));

    reserve(500, 0);

    await().atMost(Duration.ofSeconds(10)).until(() -> status("kept-out").getJsonObject("lastPlacementFailure") == null
        && !dataPlane.functions.get("kept-out").getNoCapacity());
    assertThat(worker.creates).hasSize(1);
  }

  @Test
  void badReport_isRejectedNamingTheHost() throws Exception {
    harness = new ControlPlaneHarness();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> reserve(-1, 0))
        .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("fake-host");
  }
}
