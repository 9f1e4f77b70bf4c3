package io.pulse.worker.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.SandboxState;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.worker.testing.FakeControlPlane;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlPlaneMembershipTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final WorkerDescriptor DESCRIPTOR = WorkerDescriptor.newBuilder()
      .setWorkerId("w-1").setAddress("127.0.0.1:9093").setRuntime("fake").build();

  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<ControlPlaneMembership.Listing> listing =
      new AtomicReference<>(new ControlPlaneMembership.Listing(0, List.of()));
  private final List<Long> epochs = new CopyOnWriteArrayList<>();
  private FakeControlPlane controlPlane;
  private ManagedChannel channel;
  private ControlPlaneMembership membership;

  @AfterEach
  void tearDown() throws Exception {
    if (membership != null) {
      membership.stop().await(5, TimeUnit.SECONDS);
    }
    if (channel != null) {
      GrpcChannels.close(channel);
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void registers_thenHeartbeatsItsSandboxesAtTheIntervalItWasGiven() {
    SandboxInfo sandbox = SandboxInfo.newBuilder().setInstanceId("i-1").setFunction("f")
        .setState(SandboxState.READY).build();
    listing.set(new ControlPlaneMembership.Listing(7, List.of(sandbox)));
    controlPlane = FakeControlPlane.start(0, 42, 50);

    start(controlPlane.port());

    await().atMost(WAIT).until(membership::registered);
    assertThat(controlPlane.registrations.getFirst().getWorker()).isEqualTo(DESCRIPTOR);
    assertThat(controlPlane.registrations.getFirst().getSandboxesList()).containsExactly(sandbox);
    assertThat(controlPlane.registrations.getFirst().getListingGeneration()).isEqualTo(7);
    await().atMost(WAIT).until(() -> controlPlane.heartbeats.size() >= 3);
    assertThat(controlPlane.heartbeats).allSatisfy(h -> {
      assertThat(h.getWorkerId()).isEqualTo("w-1");
      assertThat(h.getSandboxesList()).containsExactly(sandbox);
      assertThat(h.getListingGeneration()).isEqualTo(7);
    });
    assertThat(membership.heartbeatIntervalMs()).isEqualTo(50);
    assertThat(epochs).contains(42L);
    assertThat(controlPlane.registrations).hasSize(1);
  }

  @Test
  void heartbeatsCarryTheCurrentSandboxes() {
    controlPlane = FakeControlPlane.start(0, 1, 50);
    start(controlPlane.port());
    await().atMost(WAIT).until(membership::registered);

    SandboxInfo later = SandboxInfo.newBuilder().setInstanceId("i-2").setState(SandboxState.EXITED).build();
    listing.set(new ControlPlaneMembership.Listing(9, List.of(later)));

    await().atMost(WAIT).until(() -> controlPlane.lastHeartbeat() != null
        && controlPlane.lastHeartbeat().getSandboxesList().equals(List.of(later)));
    assertThat(controlPlane.lastHeartbeat().getListingGeneration()).as("read with the same listing").isEqualTo(9);
  }

  @Test
  void heartbeatsCarryTheCurrentPools() {
    controlPlane = FakeControlPlane.start(0, 1, 50);
    channel = GrpcChannels.plaintext("127.0.0.1:" + controlPlane.port());
    java.util.concurrent.atomic.AtomicReference<List<io.pulse.api.v1.PoolReport>> pools =
        new java.util.concurrent.atomic.AtomicReference<>(List.of());
    membership = ControlPlaneMembership.start(vertx, channel, "127.0.0.1:" + controlPlane.port(), DESCRIPTOR,
        listing::get, pools::get, epochs::add, 1000);
    await().atMost(WAIT).until(membership::registered);

    io.pulse.api.v1.PoolReport pool = io.pulse.api.v1.PoolReport.newBuilder().setFunction("f").setRevision(2)
        .setTarget(3).setReady(1).setCreating(2).build();
    pools.set(List.of(pool));

    await().atMost(WAIT).until(() -> controlPlane.lastHeartbeat() != null
        && controlPlane.lastHeartbeat().getPoolsList().equals(List.of(pool)));
  }

  @Test
  void registersAgain_whenTheControlPlaneAnswersNotRegistered() {
    controlPlane = FakeControlPlane.start(0, 1, 50);
    start(controlPlane.port());
    await().atMost(WAIT).until(() -> controlPlane.heartbeats.size() >= 1);

    controlPlane.forgetWorker.set(1);

    await().atMost(WAIT).until(() -> controlPlane.registrations.size() == 2);
    int heartbeats = controlPlane.heartbeats.size();
    await().atMost(WAIT).until(() -> controlPlane.heartbeats.size() > heartbeats);
    assertThat(membership.registered()).isTrue();
  }

  @Test
  void registersAgain_whenAHeartbeatFailsWithNotFound() {
    controlPlane = FakeControlPlane.start(0, 1, 50);
    start(controlPlane.port());
    await().atMost(WAIT).until(() -> controlPlane.heartbeats.size() >= 1);

    controlPlane.failNextHeartbeat.set(Status.NOT_FOUND.withDescription("unknown worker"));

    await().atMost(WAIT).until(() -> controlPlane.registrations.size() == 2);
  }

  @Test
  void keepsHeartbeating_whenAHeartbeatFailsOtherwise() {
    controlPlane = FakeControlPlane.start(0, 1, 50);
    start(controlPlane.port());
    await().atMost(WAIT).until(() -> controlPlane.heartbeats.size() >= 1);

    controlPlane.failNextHeartbeat.set(Status.INTERNAL.withDescription("hiccup"));
    int heartbeats = controlPlane.heartbeats.size();

    await().atMost(WAIT).until(() -> controlPlane.heartbeats.size() >= heartbeats + 3);
    assertThat(controlPlane.registrations).hasSize(1);
    assertThat(membership.registered()).isTrue();
  }

  @Test
  void keepsRetrying_whileRegistrationsFail() {
    controlPlane = FakeControlPlane.start(0, 1, 50);
    controlPlane.failRegistrations.set(3);

    start(controlPlane.port());

    await().atMost(WAIT).until(membership::registered);
    assertThat(controlPlane.registrations).hasSize(4);
  }

  @Test
  void keepsRetrying_whileTheControlPlaneIsDown_andRegistersWhenItComesUp() throws Exception {
    int port = freePort();
    start(port);
    // Several attempts go nowhere (100 + 200 + 400 ms of backoff); the state must stay "not registered".
    await().pollDelay(Duration.ofMillis(700)).atMost(WAIT).until(() -> !membership.registered());

    controlPlane = FakeControlPlane.start(port, 7, 50);

    await().atMost(WAIT).until(membership::registered);
    await().atMost(WAIT).until(() -> controlPlane.heartbeats.size() >= 2);
  }

  @Test
  void survivesAControlPlaneRestart() throws Exception {
    controlPlane = FakeControlPlane.start(0, 1, 50);
    int port = controlPlane.port();
    start(port);
    await().atMost(WAIT).until(() -> controlPlane.heartbeats.size() >= 1);

    controlPlane.close();
    FakeControlPlane restarted = FakeControlPlane.start(port, 2, 50);
    controlPlane = restarted;
    restarted.forgetWorker.set(1);

    await().atMost(WAIT).until(() -> restarted.registrations.size() == 1 && membership.registered());
    await().atMost(WAIT).until(() -> epochs.contains(2L));
  }

  @Test
  void stop_endsRegistrationAndHeartbeats() throws Exception {
    controlPlane = FakeControlPlane.start(0, 1, 50);
    start(controlPlane.port());
    await().atMost(WAIT).until(() -> controlPlane.heartbeats.size() >= 1);

    membership.stop().await(5, TimeUnit.SECONDS);
    int heartbeats = controlPlane.heartbeats.size();

    // A heartbeat already in flight may still land; after it, nothing more comes.
    await().during(Duration.ofMillis(300)).atMost(WAIT)
        .until(() -> controlPlane.heartbeats.size() <= heartbeats + 1);
    assertThat(membership.registered()).isFalse();
  }

  private void start(int port) {
    channel = GrpcChannels.plaintext("127.0.0.1:" + port);
    membership = ControlPlaneMembership.start(vertx, channel, "127.0.0.1:" + port, DESCRIPTOR, listing::get,
        epochs::add, 1000);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
