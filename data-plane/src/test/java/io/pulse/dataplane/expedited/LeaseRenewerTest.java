package io.pulse.dataplane.expedited;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.net.HostPort;
import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.SandboxTemplate;
import io.pulse.dataplane.routing.WorkerRef;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class LeaseRenewerTest {

  private static final WorkerRef W1 = new WorkerRef("w-1", "h1:1", 1000, 1024, 0, 0);
  private static final WorkerRef W2 = new WorkerRef("w-2", "h2:1", 1000, 1024, 0, 0);

  /** Records the renewals; nothing else is called. */
  private static final class RecordingCreator implements SandboxCreator {
    final Map<String, List<String>> renewed = new ConcurrentHashMap<>();

    @Override
    public Future<HostPort> create(WorkerRef worker, String instanceId, SandboxTemplate template, long timeout) {
      throw new AssertionError("not called");
    }

    @Override
    public Future<Void> delete(WorkerRef worker, String instanceId) {
      throw new AssertionError("not called");
    }

    @Override
    public CompletionStage<List<String>> renew(WorkerRef worker, List<String> instanceIds) {
      renewed.put(worker.address(), instanceIds);
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public void close() {}
  }

  @Test
  void renewNow_makesOneCallPerWorker_withTheIdsHeldThere() {
    RecordingCreator creator = new RecordingCreator();
    List<EmergencyInstance> held = List.of(instance("f-1-eb", W1), instance("f-1-ea", W1), instance("g-2-ec", W2));
    try (LeaseRenewer renewer = new LeaseRenewer(creator, () -> held, 30_000)) {
      renewer.renewNow();
    }

    assertThat(creator.renewed).containsExactlyInAnyOrderEntriesOf(Map.of(
        "h1:1", List.of("f-1-ea", "f-1-eb"),
        "h2:1", List.of("g-2-ec")));
  }

  @Test
  void renewNow_withNothingHeld_callsNobody() {
    RecordingCreator creator = new RecordingCreator();
    try (LeaseRenewer renewer = new LeaseRenewer(creator, List::of, 30_000)) {
      renewer.renewNow();
    }

    assertThat(creator.renewed).isEmpty();
  }

  private static EmergencyInstance instance(String id, WorkerRef worker) {
    return new EmergencyInstance(new Instance(id, "127.0.0.1", 9, worker.id()), "f", 1,
        new Reservation(worker, 100, 64), 0, 0);
  }
}
