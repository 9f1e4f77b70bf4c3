package io.pulse.controlplane.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.common.testing.ManualTimers;
import io.pulse.common.time.Timers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutesPublisherTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final RoutesPublisher publisher = new RoutesPublisher(Timers.of(vertx), 5);

  @AfterEach
  void close() {
    vertx.close().await();
  }

  static final class RecordingSink implements RouteSink {
    final List<RouteDelta> received = new CopyOnWriteArrayList<>();
    final List<Long> versions = new CopyOnWriteArrayList<>();
    final String dataPlaneId;
    volatile boolean ready = true;
    volatile boolean closed;

    RecordingSink() {
      this("dp-1");
    }

    RecordingSink(String dataPlaneId) {
      this.dataPlaneId = dataPlaneId;
    }

    long lastVersion() {
      return versions.get(versions.size() - 1);
    }

    @Override
    public String dataPlaneId() {
      return dataPlaneId;
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void send(RouteDelta delta, long version) {
      received.add(delta);
      versions.add(version);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static Route route(String name, long revision, String... instanceIds) {
    FunctionSpec spec = new FunctionSpec(name, null, List.of("run"), 0, Map.of(),
        new FunctionSpec.Resources(100, 64), new FunctionSpec.Scaling(0, 0, 1, 60), 30);
    List<RouteInstance> instances = java.util.Arrays.stream(instanceIds)
        .map(id -> new RouteInstance(id, new HostPort("127.0.0.1", 9000), "w1")).toList();
    return new Route(new FunctionRecord(spec, revision, Instant.EPOCH, Instant.EPOCH), instances);
  }

  static RouteTable table(List<WorkerInfo> workers, Route... routes) {
    return new RouteTable(java.util.Arrays.stream(routes)
        .collect(java.util.stream.Collectors.toMap(Route::name, r -> r)), workers);
  }

  private void onContext(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  @Test
  void between_sendsWholeChangedFunctionsRemovalsAndWorkersWhenChanged() {
    WorkerInfo w1 = new WorkerInfo("w1", "127.0.0.1:1", "h", "fake", 1, 1);
    RouteTable before = table(List.of(w1), route("a", 1), route("b", 1, "b-1"), route("c", 1));
    RouteTable after = table(List.of(w1), route("a", 1), route("b", 1, "b-1", "b-2"), route("d", 1));

    RouteDelta delta = RouteDelta.between(before, after);

    assertThat(delta.fullSnapshot()).isFalse();
    assertThat(delta.upserts()).extracting(Route::name).containsExactly("b", "d");
    assertThat(delta.upserts().get(0).instances()).hasSize(2);
    assertThat(delta.removed()).containsExactly("c");
    assertThat(delta.workersChanged()).isFalse();
    assertThat(RouteDelta.between(after, table(List.of(), route("a", 1), route("b", 1, "b-1", "b-2"),
        route("d", 1))).workersChanged()).isTrue();
    assertThat(RouteDelta.between(after, after).isEmpty()).isTrue();
  }

  @Test
  void subscriber_getsFullSnapshotThenCoalescedDeltas() {
    RecordingSink sink = new RecordingSink();
    onContext(() -> publisher.subscribe(sink));
    await().until(() -> sink.received.size() == 1);
    assertThat(sink.received.get(0).fullSnapshot()).isTrue();
    assertThat(sink.received.get(0).workersChanged()).isTrue();

    onContext(() -> publisher.update(table(List.of(), route("a", 1))));
    await().until(() -> sink.received.size() == 2);
    assertThat(sink.received.get(1).upserts()).extracting(Route::name).containsExactly("a");

    // Three changes in one turn of the loop: one message with the end state.
    onContext(() -> {
      publisher.update(table(List.of(), route("a", 1, "a-1")));
      publisher.update(table(List.of(), route("a", 1, "a-1", "a-2")));
      publisher.update(table(List.of(), route("a", 1, "a-1", "a-2"), route("b", 1)));
    });
    await().until(() -> sink.received.size() == 3);
    RouteDelta delta = sink.received.get(2);
    assertThat(delta.fullSnapshot()).isFalse();
    assertThat(delta.upserts()).extracting(Route::name).containsExactly("a", "b");
    assertThat(delta.upserts().get(0).instances()).hasSize(2);

    // A later subscriber starts from a full snapshot of the same state.
    RecordingSink late = new RecordingSink();
    onContext(() -> publisher.subscribe(late));
    await().until(() -> late.received.size() == 1);
    assertThat(late.received.get(0).fullSnapshot()).isTrue();
    assertThat(late.received.get(0).upserts()).containsExactlyElementsOf(delta.upserts());
  }

  @Test
  void updateNow_sendsWithinTheCall_andThePendingCoalescedFlushSendsNothingMore() {
    RecordingSink sink = new RecordingSink();
    onContext(() -> publisher.subscribe(sink));
    await().until(() -> sink.received.size() == 1);

    java.util.concurrent.CompletableFuture<Integer> sentBeforeReturn = new java.util.concurrent.CompletableFuture<>();
    onContext(() -> {
      publisher.update(table(List.of(), route("a", 1))); // schedules the coalesced flush
      publisher.updateNow(table(List.of(), route("a", 1, "a-1")));
      sentBeforeReturn.complete(sink.received.size());
    });

    assertThat(sentBeforeReturn.join()).isEqualTo(2);
    assertThat(sink.received.get(1).upserts().get(0).instances()).extracting(RouteInstance::instanceId).containsExactly("a-1");
    // The timer scheduled by update() still fires: it must find nothing new (no second message, no version bump).
    onContext(() -> publisher.update(table(List.of(), route("a", 1, "a-1"), route("b", 1))));
    await().until(() -> sink.received.size() == 3);
    assertThat(sink.received.get(2).upserts()).extracting(Route::name).containsExactly("b");
    assertThat(sink.versions.get(2)).isEqualTo(sink.versions.get(1) + 1);
  }

  @Test
  void slowSubscriber_isSkippedThenResyncedWithFullSnapshot() {
    RecordingSink slow = new RecordingSink();
    RecordingSink witness = new RecordingSink();
    onContext(() -> {
      publisher.subscribe(slow);
      publisher.subscribe(witness);
    });
    await().until(() -> slow.received.size() == 1 && witness.received.size() == 1);

    slow.ready = false;
    onContext(() -> publisher.update(table(List.of(), route("a", 1))));
    await().until(() -> witness.received.size() == 2);
    onContext(() -> publisher.update(table(List.of(), route("a", 1), route("b", 1))));
    await().until(() -> witness.received.size() == 3);
    // Nothing was queued for the slow one while it could not take it.
    assertThat(slow.received).hasSize(1);

    slow.ready = true;
    onContext(() -> publisher.onReady(slow));
    await().until(() -> slow.received.size() == 2);
    assertThat(slow.received.get(1).fullSnapshot()).isTrue();
    assertThat(slow.received.get(1).upserts()).extracting(Route::name).containsExactly("a", "b");
  }

  @Test
  void closeAll_endsEveryStream_andLateSubscribersAreClosedAtOnce() {
    RecordingSink sink = new RecordingSink();
    onContext(() -> publisher.subscribe(sink));
    onContext(publisher::closeAll);
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.closed);

    RecordingSink late = new RecordingSink();
    onContext(() -> publisher.subscribe(late));
    await().until(() -> late.closed);
    assertThat(late.received).isEmpty();
  }

  @Test
  void propagation_completesOnlyWhenEveryConnectedDataPlaneAppliedTheChange() {
    RecordingSink first = new RecordingSink("dp-1");
    RecordingSink second = new RecordingSink("dp-2");
    onContext(() -> {
      publisher.subscribe(first);
      publisher.subscribe(second);
    });
    await().until(() -> first.received.size() == 1 && second.received.size() == 1);

    java.util.concurrent.atomic.AtomicReference<io.vertx.core.Future<Boolean>> routed =
        new java.util.concurrent.atomic.AtomicReference<>();
    onContext(() -> {
      routed.set(publisher.awaitPropagation(t -> t.functions().containsKey("a"), 60_000));
      publisher.update(table(List.of(), route("a", 1)));
    });
    await().until(() -> first.received.size() == 2 && second.received.size() == 2);
    long version = first.lastVersion();
    assertThat(second.lastVersion()).isEqualTo(version);
    assertThat(version).isGreaterThan(first.versions.get(0));

    java.util.concurrent.CompletableFuture<Boolean> afterFirstAck = new java.util.concurrent.CompletableFuture<>();
    onContext(() -> {
      publisher.acknowledged("dp-1", version);
      afterFirstAck.complete(routed.get().isComplete());
    });
    assertThat(afterFirstAck).succeedsWithin(Duration.ofSeconds(5)).as("dp-2 has not applied it yet").isEqualTo(false);

    onContext(() -> publisher.acknowledged("dp-2", version - 1));
    onContext(() -> publisher.acknowledged("dp-2", version));
    await().until(() -> routed.get().isComplete());
    assertThat(routed.get().result()).isTrue();
  }

  @Test
  void propagation_doesNotWaitForADataPlaneThatLeft_andTimesOutOnOneThatNeverAnswers() {
    RecordingSink leaving = new RecordingSink("dp-1");
    RecordingSink silent = new RecordingSink("dp-2");
    onContext(() -> {
      publisher.subscribe(leaving);
      publisher.subscribe(silent);
    });
    await().until(() -> leaving.received.size() == 1 && silent.received.size() == 1);

    java.util.concurrent.atomic.AtomicReference<io.vertx.core.Future<Boolean>> gone =
        new java.util.concurrent.atomic.AtomicReference<>();
    onContext(() -> {
      gone.set(publisher.awaitPropagation(t -> t.functions().containsKey("a"), 60_000));
      publisher.update(table(List.of(), route("a", 1)));
    });
    await().until(() -> leaving.received.size() == 2);
    onContext(() -> publisher.acknowledged("dp-2", silent.lastVersion()));
    onContext(() -> publisher.unsubscribe(leaving));
    await().until(() -> gone.get() != null && gone.get().isComplete());
    assertThat(gone.get().result()).isTrue();

    java.util.concurrent.atomic.AtomicReference<io.vertx.core.Future<Boolean>> timedOut =
        new java.util.concurrent.atomic.AtomicReference<>();
    onContext(() -> {
      timedOut.set(publisher.awaitPropagation(t -> t.functions().containsKey("b"), 50));
      publisher.update(table(List.of(), route("a", 1), route("b", 1)));
    });
    await().until(() -> timedOut.get() != null && timedOut.get().isComplete());
    assertThat(timedOut.get().result()).as("dp-2 never acknowledged").isFalse();
  }

  @Test
  void propagation_withNoDataPlaneConnected_completesAsSoonAsPublished() {
    java.util.concurrent.atomic.AtomicReference<io.vertx.core.Future<Boolean>> routed =
        new java.util.concurrent.atomic.AtomicReference<>();
    onContext(() -> {
      routed.set(publisher.awaitPropagation(t -> t.functions().containsKey("a"), 60_000));
      publisher.update(table(List.of(), route("a", 1)));
    });
    await().until(() -> routed.get() != null && routed.get().isComplete());
    assertThat(routed.get().result()).isTrue();
  }

  @Test
  void coalescingAndPropagationDeadlines_runOnTheInjectedTimers_soAManualClockDrivesThem() {
    ManualTimers timers = new ManualTimers();
    RoutesPublisher manual = new RoutesPublisher(timers, 5);
    RecordingSink silent = new RecordingSink("dp-2");
    manual.subscribe(silent);
    io.vertx.core.Future<Boolean> routed = manual.awaitPropagation(t -> t.functions().containsKey("a"), 1_000);

    manual.update(table(List.of(), route("a", 1)));
    timers.advance(4);
    assertThat(silent.received).as("coalesced: not yet").hasSize(1);
    timers.advance(1);
    assertThat(silent.received).hasSize(2);

    timers.advance(994);
    assertThat(routed.isComplete()).as("dp-2 may still acknowledge").isFalse();
    timers.advance(1);
    assertThat(routed.isComplete()).isTrue();
    assertThat(routed.result()).as("dp-2 never acknowledged").isFalse();
  }

  @Test
  void subscriberArrivingBeforeACoalescedFlush_getsTheLatestTable_notTheOneLastSent() {
    ManualTimers timers = new ManualTimers();
    RoutesPublisher manual = new RoutesPublisher(timers, 5);
    RecordingSink early = new RecordingSink("dp-1");
    manual.subscribe(early);
    manual.update(table(List.of(), route("a", 1, "a-1")));

    // The flush timer has not fired (a busy event loop runs the subscription first).
    RecordingSink late = new RecordingSink("dp-2");
    manual.subscribe(late);

    assertThat(late.received).hasSize(1);
    assertThat(late.received.get(0).fullSnapshot()).isTrue();
    assertThat(late.received.get(0).upserts()).extracting(Route::name).containsExactly("a");
    assertThat(early.received).as("the earlier subscriber got the change as a delta, once").hasSize(2);
    assertThat(early.received.get(1).upserts()).extracting(Route::name).containsExactly("a");
    timers.advance(5);
    assertThat(early.received).as("the coalesced flush finds nothing left").hasSize(2);
    assertThat(late.received).hasSize(1);
  }
}
