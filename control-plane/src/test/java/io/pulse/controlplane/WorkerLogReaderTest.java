package io.pulse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.api.ClusterView.WorkerView;
import io.pulse.controlplane.instances.LogAnswer;
import io.pulse.controlplane.instances.LogLine;
import io.pulse.controlplane.membership.WorkerInfo;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log reads go to the worker through the applier's port, and its sealed answer becomes what the REST API shows. */
class WorkerLogReaderTest {

  private static final Instant T = Instant.parse("2026-12-04T00:00:00Z");
  private static final InstanceView INSTANCE = new InstanceView("i-1", "web", 1, "regular", "ready", "w-1",
      "127.0.0.1:1", T, T, 1.0);
  private static final List<WorkerView> WORKERS = List.of(
      new WorkerView("w-1", "10.0.0.1:9093", "node-a", "process", 2000, 4096, 0, 0, 1, "alive", T, 0, 0));

  private final List<String> asked = new ArrayList<>();

  private WorkerLogReader answering(LogAnswer answer) {
    return new WorkerLogReader((WorkerInfo worker, String id, int tail, long since) -> {
      asked.add(worker.id() + "@" + worker.address() + " " + id + " tail=" + tail + " since=" + since);
      return Future.succeededFuture(answer);
    }, () -> WORKERS);
  }

  @Test
  void lines_areShown_askedOfTheInstancesWorker() {
    List<LogLine> lines = List.of(new LogLine(1, "hello"));

    Future<List<LogLine>> read = answering(new LogAnswer.Lines(lines)).logs(INSTANCE, 10, 5);

    assertThat(read.result()).isEqualTo(lines);
    assertThat(asked).containsExactly("w-1@10.0.0.1:9093 i-1 tail=10 since=5");
  }

  @Test
  void anInstanceTheWorkerNoLongerHolds_showsNoLines_notAnError() {
    assertThat(answering(new LogAnswer.Gone()).logs(INSTANCE, 10, 0).result()).isEmpty();
  }

  @Test
  void failedAndUnsupported_failWithTheWorkersWords() {
    assertThat(answering(new LogAnswer.Failed("UNAVAILABLE: io exception")).logs(INSTANCE, 10, 0).cause())
        .hasMessage("UNAVAILABLE: io exception");
    assertThat(answering(new LogAnswer.Unsupported("no logs in this runtime")).logs(INSTANCE, 10, 0).cause())
        .hasMessage("no logs in this runtime");
  }

  @Test
  void anInstanceOnAWorkerTheSnapshotNoLongerHas_failsWithoutAsking() {
    InstanceView elsewhere = new InstanceView("i-2", "web", 1, "regular", "ready", "w-9", null, T, T, 1.0);

    assertThat(answering(new LogAnswer.Gone()).logs(elsewhere, 10, 0).cause()).hasMessage("worker w-9 is gone");
    assertThat(asked).isEmpty();
  }
}
