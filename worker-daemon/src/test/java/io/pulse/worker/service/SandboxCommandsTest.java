package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.CreatorLease;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxException.Reason;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.fake.FakeSandboxRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The guards, against the fake runtime (no processes needed to test bookkeeping). */
class SandboxCommandsTest {

  private final FakeSandboxRuntime runtime = new FakeSandboxRuntime("127.0.0.1", 200, 30000, 39999);
  private final SandboxCommands commands = new SandboxCommands(runtime, new Resources(1000, 1024), new EpochGuard(),
      WorkerMetrics.unregistered(runtime::list));

  @Test
  void create_sameInstanceWhileItIsStarting_joinsTheFirstCreation() throws Exception {
    SandboxSpec spec = spec("f", 1, 100);

    CompletionStage<CreatedSandbox> first = commands.create("i-1", SandboxKind.REGULAR, spec, 1);
    CompletionStage<CreatedSandbox> second = commands.create("i-1", SandboxKind.REGULAR, spec, 1);

    assertThat(get(second).sandbox()).isEqualTo(get(first).sandbox());
    assertThat(runtime.list()).hasSize(1);
    assertThat(commands.reserved()).isEqualTo(new Resources(100, 100));
  }

  @Test
  void create_sameInstanceAfterItIsReady_returnsIt() throws Exception {
    CreatedSandbox first = get(commands.create("i-1", SandboxKind.REGULAR, spec("f", 1, 100), 1));

    CreatedSandbox again = get(commands.create("i-1", SandboxKind.REGULAR, spec("f", 1, 100), 1));

    assertThat(again.sandbox()).isEqualTo(first.sandbox());
    assertThat(commands.reserved()).isEqualTo(new Resources(100, 100));
  }

  @Test
  void create_sameInstanceForAnotherRevision_isAlreadyExists() throws Exception {
    CompletionStage<CreatedSandbox> starting = commands.create("i-1", SandboxKind.REGULAR, spec("f", 1, 100), 1);
    assertThat(failure(commands.create("i-1", SandboxKind.REGULAR, spec("f", 2, 100), 1)).reason())
        .isEqualTo(Reason.ALREADY_EXISTS);
    get(starting);

    SandboxException failure = failure(commands.create("i-1", SandboxKind.REGULAR, spec("g", 1, 100), 1));

    assertThat(failure.reason()).isEqualTo(Reason.ALREADY_EXISTS);
    assertThat(failure.getMessage()).contains("f revision 1");
  }

  @Test
  void create_regularCannotTakeTheEmergencyReserve_emergencyCan() throws Exception {
    SandboxCommands guarded = new SandboxCommands(runtime, new Resources(1000, 1024), new Resources(300, 0),
        new EpochGuard(), WorkerMetrics.unregistered(runtime::list));
    get(guarded.create("r-1", SandboxKind.REGULAR, spec("f", 1, 600), 1));

    SandboxException refused = failure(guarded.create("r-2", SandboxKind.REGULAR, spec("f", 1, 200), 1));
    assertThat(refused.reason()).isEqualTo(Reason.NO_CAPACITY);
    assertThat(refused.getMessage()).contains("Emergency Instances");

    get(guarded.create("e-1", SandboxKind.EMERGENCY, spec("f", 1, 400), 0));
    assertThat(guarded.reserved().cpuMillis()).isEqualTo(1000);
  }

  @Test
  void create_beyondCapacity_isRefusedUntilSomethingIsDeleted() throws Exception {
    get(commands.create("i-1", SandboxKind.REGULAR, spec("f", 1, 700), 1));

    SandboxException failure = failure(commands.create("i-2", SandboxKind.REGULAR, spec("f", 1, 700), 1));
    assertThat(failure.reason()).isEqualTo(Reason.NO_CAPACITY);
    assertThat(failure.getMessage()).contains("cpu");
    assertThat(runtime.list()).hasSize(1);

    assertThat(get(commands.delete("i-1", 1))).isTrue();
    get(commands.create("i-2", SandboxKind.REGULAR, spec("f", 1, 700), 1));
    assertThat(commands.reserved()).isEqualTo(new Resources(700, 100));
  }

  @Test
  void create_thatFailsInTheRuntime_releasesItsReservation() throws Exception {
    runtime.close();

    SandboxException failure = failure(commands.create("i-1", SandboxKind.REGULAR, spec("f", 1, 700), 1));

    assertThat(failure.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(commands.reserved()).isEqualTo(Resources.NONE);
  }

  @Test
  void delete_whileStarting_removesTheSandboxAndItsReservation() throws Exception {
    CompletionStage<CreatedSandbox> starting = commands.create("i-1", SandboxKind.REGULAR, spec("f", 1, 100), 1);

    assertThat(get(commands.delete("i-1", 1))).isTrue();

    assertThat(failure(starting).reason()).isEqualTo(Reason.ABORTED);
    assertThat(runtime.list()).isEmpty();
    assertThat(commands.reserved()).isEqualTo(Resources.NONE);
  }

  @Test
  void staleEpoch_isRefusedForCreateAndDelete_butEpochZeroPassesForEmergencyInstances() throws Exception {
    get(commands.delete("nothing", 10));

    assertThat(failure(commands.create("i-1", SandboxKind.REGULAR, spec("f", 1, 100), 9)).reason())
        .isEqualTo(Reason.STALE_EPOCH);
    assertThat(failure(commands.delete("i-1", 9)).getMessage()).contains("epoch 9").contains("epoch 10");
    get(commands.create("e-1", SandboxKind.EMERGENCY, spec("f", 1, 100), 0));
    assertThat(runtime.list()).hasSize(1);
    assertThat(get(commands.delete("e-1", 0))).isTrue();
    assertThat(runtime.list()).isEmpty();
  }

  @Test
  void epochZero_onARegularInstance_isRefusedCountedAndLeavesItRunning() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    SandboxCommands counted = new SandboxCommands(runtime, new Resources(1000, 1024), new EpochGuard(),
        WorkerMetrics.register(registry, runtime::list));
    CompletionStage<CreatedSandbox> starting = counted.create("r-1", SandboxKind.REGULAR, spec("f", 1, 100), 7);

    // While it starts (known from the pending creation) and once it runs (known from the runtime).
    assertThat(failure(counted.delete("r-1", 0)).getMessage()).contains("Emergency Instances only");
    get(starting);
    SandboxException refused = failure(counted.delete("r-1", 0));
    assertThat(failure(counted.create("r-2", SandboxKind.REGULAR, spec("f", 1, 100), 0)).reason())
        .isEqualTo(Reason.STALE_EPOCH);

    assertThat(refused.reason()).isEqualTo(Reason.STALE_EPOCH);
    assertThat(refused.getMessage()).contains("Regular Instance").contains("highest seen 7");
    assertThat(runtime.list()).extracting(s -> s.instanceId()).containsExactly("r-1");
    assertThat(fenced(registry, "delete", "regular_epoch_zero")).isEqualTo(2);
    assertThat(fenced(registry, "create", "regular_epoch_zero")).isEqualTo(1);
    assertThat(failure(counted.create("r-1", SandboxKind.EMERGENCY, spec("f", 1, 100), 0)).reason())
        .as("an Emergency create of its id does not hand it out").isEqualTo(Reason.ALREADY_EXISTS);
    assertThat(get(counted.delete("r-1", 7))).as("the leader's epoch still deletes it").isTrue();
  }

  @Test
  void adopt_countsRunningSandboxesAgainstCapacity() throws Exception {
    FakeSandboxRuntime other = new FakeSandboxRuntime("127.0.0.1", 0, 30000, 39999);
    CreatedSandbox running = get(other.create("old-1", SandboxKind.REGULAR, spec("f", 1, 900)));

    commands.adopt(List.of(running.sandbox()));

    assertThat(failure(commands.create("i-1", SandboxKind.REGULAR, spec("f", 1, 200), 1)).reason())
        .isEqualTo(Reason.NO_CAPACITY);
  }

  @Test
  void reapExpired_deletesTheEmergencyInstancesWhoseCreatorStoppedRenewing_andCountsThem() throws Exception {
    AtomicLong now = new AtomicLong();
    PrometheusRegistry registry = new PrometheusRegistry();
    SandboxCommands leased = onLeaseClock(now, WorkerMetrics.register(registry, runtime::list));
    CreatorLease lease = new CreatorLease("dp-a", 3_000);
    get(leased.create("e-kept", SandboxKind.EMERGENCY, spec("f", 1, 100).withCreator(lease), 0));
    get(leased.create("e-orphan", SandboxKind.EMERGENCY, spec("f", 1, 100).withCreator(lease), 0));
    get(leased.create("e-legacy", SandboxKind.EMERGENCY, spec("f", 1, 100), 0));
    get(leased.create("r-1", SandboxKind.REGULAR, spec("f", 1, 100).withCreator(lease), 1));

    now.addAndGet(2_000);
    assertThat(leased.renewLeases("dp-a", List.of("e-kept", "r-1"))).as("a Regular Instance holds no lease")
        .containsExactly("r-1");
    assertThat(leased.reapExpired()).isEmpty();
    now.addAndGet(1_000);
    List<String> reaped = leased.reapExpired();

    assertThat(reaped).containsExactly("e-orphan");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(runtime.list())
        .extracting(Sandbox::instanceId).containsExactlyInAnyOrder("e-kept", "e-legacy", "r-1"));
    assertThat(leased.reserved()).isEqualTo(new Resources(300, 300));
    assertThat(counter(registry, "pulse_worker_emergency_reaped")).isEqualTo(1);
  }

  @Test
  void delete_byItsCreator_endsTheLease() throws Exception {
    AtomicLong now = new AtomicLong();
    SandboxCommands leased = onLeaseClock(now, WorkerMetrics.unregistered(runtime::list));
    get(leased.create("e-1", SandboxKind.EMERGENCY, spec("f", 1, 100).withCreator(new CreatorLease("dp-a", 10)), 0));

    assertThat(get(leased.delete("e-1", 0))).isTrue();
    now.addAndGet(10);

    assertThat(leased.reapExpired()).isEmpty();
    assertThat(leased.renewLeases("dp-a", List.of("e-1"))).containsExactly("e-1");
  }

  @Test
  void adopt_anEmergencyInstanceWithALease_startsItsLeaseAgainFromNow() throws Exception {
    AtomicLong now = new AtomicLong(50_000);
    SandboxCommands restarted = onLeaseClock(now, WorkerMetrics.unregistered(runtime::list));
    Sandbox left = get(runtime.create("e-1", SandboxKind.EMERGENCY,
        spec("f", 1, 100).withCreator(new CreatorLease("dp-a", 3_000)))).sandbox();

    restarted.adopt(List.of(left));
    assertThat(reapFor(restarted, now, 2_999)).isEmpty();
    assertThat(restarted.renewLeases("dp-a", List.of("e-1"))).as("renewable by its creator").isEmpty();

    assertThat(reapFor(restarted, now, 3_000)).containsExactly("e-1");
  }

  @Test
  void reapExpired_afterAPauseOfTheWorker_reapsNothing_andTheLeaseRunsInFullAgain() throws Exception {
    AtomicLong now = new AtomicLong();
    PrometheusRegistry registry = new PrometheusRegistry();
    SandboxCommands leased = onLeaseClock(now, WorkerMetrics.register(registry, runtime::list));
    get(leased.create("e-busy", SandboxKind.EMERGENCY, spec("f", 1, 100).withCreator(new CreatorLease("dp-a", 3_000)),
        0));
    assertThat(reapFor(leased, now, 2_000)).isEmpty();
    assertThat(leased.renewLeases("dp-a", List.of("e-busy"))).isEmpty();

    now.addAndGet(10_000); // a VM snapshot: no timer ran, the renewals due meanwhile were never heard
    assertThat(leased.reapExpired()).isEmpty();
    assertThat(counter(registry, "pulse_worker_pauses")).isEqualTo(1);

    assertThat(reapFor(leased, now, 2_999)).isEmpty();
    assertThat(reapFor(leased, now, 1)).as("its creator silent for a full lease since").containsExactly("e-busy");
    assertThat(counter(registry, "pulse_worker_pauses")).as("the reaper's own ticks are no pause").isEqualTo(1);
  }

  private SandboxCommands onLeaseClock(AtomicLong now, WorkerMetrics metrics) {
    return new SandboxCommands(runtime, new Resources(1000, 1024), Resources.NONE, new EpochGuard(), metrics, now::get);
  }

  /** Moves the clock {@code millis} on with the reaper ticking as the daemon's timer does; returns what it reaped. */
  private static List<String> reapFor(SandboxCommands commands, AtomicLong now, long millis) {
    List<String> reaped = new java.util.ArrayList<>();
    for (long left = millis; left > 0; left -= SandboxCommands.REAP_PERIOD_MS) {
      now.addAndGet(Math.min(left, SandboxCommands.REAP_PERIOD_MS));
      reaped.addAll(commands.reapExpired());
    }
    return reaped;
  }

  private static SandboxSpec spec(String function, long revision, int cpuMillis) {
    return SandboxSpec.ofCommand(function, revision, List.of("true")).withResources(new Resources(cpuMillis, 100));
  }

  private static double counter(PrometheusRegistry registry, String name) {
    return registry.scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  private static double fenced(PrometheusRegistry registry, String command, String reason) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("pulse_worker_fenced"))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .filter(p -> p.getLabels().get("command").equals(command) && p.getLabels().get("reason").equals(reason))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static SandboxException failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (SandboxCommands.unwrap(e.getCause()) instanceof SandboxException se) {
        return se;
      }
      throw new AssertionError("expected a SandboxException", e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure, got success");
  }
}
