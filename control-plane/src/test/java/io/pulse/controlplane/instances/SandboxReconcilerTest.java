package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.placement.ResourceRequest;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxReconcilerTest {

  private static final long GRACE = 2_000;
  private static final Map<String, FunctionRecord> FUNCTIONS = Map.of("f", record("f", 3));

  static FunctionRecord record(String name, long revision) {
    return record(name, revision, 0);
  }

  static FunctionRecord record(String name, long revision, int maxScale) {
    FunctionSpec spec = new FunctionSpec(name, null, List.of("run"), 0, Map.of(),
        new FunctionSpec.Resources(100, 64), new FunctionSpec.Scaling(0, maxScale, 1, 60), 30);
    return new FunctionRecord(spec, revision, Instant.EPOCH, Instant.EPOCH);
  }

  private static ReportedSandbox listed(String id, String function, long revision, ReportedSandbox.Kind kind,
      ReportedSandbox.Status status) {
    return new ReportedSandbox(id, function, revision, kind, status, new HostPort("127.0.0.1", 5000), 0,
        new ResourceRequest(100, 64));
  }

  private static ReportedSandbox readyCreatedAt(String id, long createdAt) {
    return new ReportedSandbox(id, "f", 3, ReportedSandbox.Kind.REGULAR, ReportedSandbox.Status.READY,
        new HostPort("127.0.0.1", 5000), createdAt, new ResourceRequest(100, 64));
  }

  private static ReportedSandbox regular(String id, ReportedSandbox.Status status) {
    return listed(id, "f", 3, ReportedSandbox.Kind.REGULAR, status);
  }

  private static Instance ready(String id, long readyAt) {
    return new Instance(id, "f", 3, "w", new ResourceRequest(100, 64), InstanceState.READY,
        new HostPort("127.0.0.1", 5000), 0, readyAt, false);
  }

  private static Instance ready(String id, long readyAt, long generation) {
    return new Instance(id, "f", 3, "w", new ResourceRequest(100, 64), InstanceState.READY,
        new HostPort("127.0.0.1", 5000), 0, readyAt, false, generation);
  }

  private static SandboxReconciler.Result run(List<Instance> known, List<ReportedSandbox> reported, long now) {
    return run(known, WorkerListing.unstamped(reported), now);
  }

  private static SandboxReconciler.Result run(List<Instance> known, WorkerListing listing, long now) {
    Set<String> ids = Set.copyOf(known.stream().map(Instance::id).toList());
    return SandboxReconciler.reconcile(known, listing, ids::contains, FUNCTIONS, now, GRACE);
  }

  @Test
  void matchingListing_changesNothing() {
    assertThat(run(List.of(ready("a", 0)), List.of(regular("a", ReportedSandbox.Status.READY)), 10_000).isEmpty())
        .isTrue();
  }

  @Test
  void missingInstance_isDropped_afterGraceOnly() {
    assertThat(run(List.of(ready("a", 9_000)), List.of(), 10_000).isEmpty()).isTrue();
    assertThat(run(List.of(ready("a", 8_000)), List.of(), 10_000).drop()).containsExactly("a");
  }

  @Test
  void aListingTakenBeforeTheWorkerRecordedTheInstance_neverDropsIt_howeverLateItArrives() {
    Instance recordedAt40 = ready("a", 1_000, 40);

    for (long now : new long[] {1_000, 1_000 + GRACE, 1_000 + 100 * GRACE}) {
      assertThat(run(List.of(recordedAt40), new WorkerListing(39, List.of()), now).isEmpty()).as("at %d", now)
          .isTrue();
    }
  }

  @Test
  void aListingTakenAtOrAfterTheWorkerRecordedTheInstance_thatLacksIt_dropsIt_graceOrNot() {
    Instance recordedAt40 = ready("a", 1_000, 40);

    assertThat(run(List.of(recordedAt40), new WorkerListing(40, List.of()), 1_000).drop()).containsExactly("a");
    assertThat(run(List.of(recordedAt40), new WorkerListing(41, List.of()), 1_000 + GRACE).drop())
        .containsExactly("a");
    assertThat(run(List.of(recordedAt40), new WorkerListing(41, List.of(regular("a", ReportedSandbox.Status.READY))),
        1_000 + GRACE).isEmpty()).isTrue();
  }

  @Test
  void withoutAGenerationOnEitherSide_theGraceDecides() {
    Instance unstamped = ready("a", 1_000, WorkerListing.UNKNOWN);
    Instance stamped = ready("b", 1_000, 40);

    // An instance an older worker created, listed by a newer one (upgraded in place).
    assertThat(run(List.of(unstamped), new WorkerListing(99, List.of()), 1_000 + GRACE - 1).isEmpty()).isTrue();
    assertThat(run(List.of(unstamped), new WorkerListing(99, List.of()), 1_000 + GRACE).drop()).containsExactly("a");
    // A worker that stopped stamping (downgraded).
    assertThat(run(List.of(stamped), WorkerListing.unstamped(List.of()), 1_000 + GRACE - 1).isEmpty()).isTrue();
    assertThat(run(List.of(stamped), WorkerListing.unstamped(List.of()), 1_000 + GRACE).drop()).containsExactly("b");
  }

  @Test
  void missingPendingInstance_isLeftToItsCreateCall() {
    Instance pending = Instance.pending("p", "f", 3, "w", new ResourceRequest(1, 1), 0);

    assertThat(run(List.of(pending), List.of(), 100_000).isEmpty()).isTrue();
  }

  @Test
  void exitedInstance_isDroppedAndDeleted() {
    SandboxReconciler.Result result = run(List.of(ready("a", 9_999)),
        List.of(regular("a", ReportedSandbox.Status.EXITED)), 10_000);

    assertThat(result.dropAndDelete()).containsExactly("a");
    assertThat(result.drop()).isEmpty();
  }

  @Test
  void unknownSandboxes_adoptedOrDeleted() {
    List<ReportedSandbox> listing = List.of(
        regular("adopt-me", ReportedSandbox.Status.READY),
        regular("still-starting", ReportedSandbox.Status.STARTING),
        regular("dead", ReportedSandbox.Status.EXITED),
        listed("old-rev", "f", 2, ReportedSandbox.Kind.REGULAR, ReportedSandbox.Status.READY),
        listed("no-function", "gone", 1, ReportedSandbox.Kind.REGULAR, ReportedSandbox.Status.READY),
        listed("emergency", "gone", 1, ReportedSandbox.Kind.EMERGENCY, ReportedSandbox.Status.READY));

    SandboxReconciler.Result result = run(List.of(), listing, 10_000);

    assertThat(result.adopt()).extracting(ReportedSandbox::instanceId).containsExactly("adopt-me");
    assertThat(result.deleteUnknown()).containsExactly("dead", "no-function", "old-rev");
    assertThat(result.drop()).isEmpty();
  }

  @Test
  void recentlyRemovedIds_areNeitherAdoptedNorDeletedAgain() {
    SandboxReconciler.Result result = SandboxReconciler.reconcile(List.of(),
        WorkerListing.unstamped(List.of(regular("just-deleted", ReportedSandbox.Status.READY))), "just-deleted"::equals,
        FUNCTIONS, 0, GRACE);

    assertThat(result.isEmpty()).isTrue();
  }

  @Test
  void registryNotYetComplete_leavesUnknownFunctionsAndNewerRevisionsAlone_butStillDeletesOlderOnes() {
    List<ReportedSandbox> listing = List.of(
        listed("ghost-1", "ghost", 1, ReportedSandbox.Kind.REGULAR, ReportedSandbox.Status.READY),
        listed("newer-1", "f", 4, ReportedSandbox.Kind.REGULAR, ReportedSandbox.Status.READY),
        listed("older-1", "f", 2, ReportedSandbox.Kind.REGULAR, ReportedSandbox.Status.READY));
    SandboxReconciler.Result waiting = SandboxReconciler.reconcile(List.of(), WorkerListing.unstamped(listing),
        id -> false, FUNCTIONS, f -> 0, 10_000, GRACE, false);
    assertThat(waiting.deleteUnknown()).containsExactly("older-1");
    assertThat(waiting.adopt()).isEmpty();

    SandboxReconciler.Result complete = SandboxReconciler.reconcile(List.of(), WorkerListing.unstamped(listing),
        id -> false, FUNCTIONS, f -> 0, 10_000, GRACE, true);
    assertThat(complete.deleteUnknown()).containsExactly("ghost-1", "newer-1", "older-1");
  }

  @Test
  void adoption_fillsOnlyUpToMaxScale_keepingTheOldestListed_andDeletesTheRest() {
    WorkerListing listing = WorkerListing.unstamped(List.of(readyCreatedAt("c", 300), readyCreatedAt("a", 100),
        readyCreatedAt("b", 200)));
    Map<String, FunctionRecord> bounded = Map.of("f", record("f", 3, 2));

    SandboxReconciler.Result oneRunning = SandboxReconciler.reconcile(List.of(), listing, id -> false, bounded,
        f -> 1, 10_000, GRACE, true);
    assertThat(oneRunning.adopt()).extracting(ReportedSandbox::instanceId).containsExactly("a");
    assertThat(oneRunning.deleteExcess()).containsExactly("b", "c");
    assertThat(oneRunning.deleteUnknown()).isEmpty();

    SandboxReconciler.Result full = SandboxReconciler.reconcile(List.of(), listing, id -> false, bounded,
        f -> 2, 10_000, GRACE, true);
    assertThat(full.adopt()).isEmpty();
    assertThat(full.deleteExcess()).containsExactly("a", "b", "c");

    SandboxReconciler.Result unbounded = SandboxReconciler.reconcile(List.of(), listing, id -> false, FUNCTIONS,
        f -> 2, 10_000, GRACE, true);
    assertThat(unbounded.adopt()).hasSize(3);
    assertThat(unbounded.deleteExcess()).isEmpty();
  }
}
