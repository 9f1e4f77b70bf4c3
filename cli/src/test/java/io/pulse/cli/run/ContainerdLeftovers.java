package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.api.Kind;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.sandbox.containerd.api.ListSnapshotsRequest;
import io.pulse.worker.sandbox.containerd.api.ListTasksRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a worker's containerd namespace and CNI store hold, for tests that check nothing leaked: containers, tasks,
 * active snapshots and the addresses host-local gave out.
 *
 * @param inspector a client of the worker's containerd namespace
 * @param workerDir the worker's data directory (its CNI store is under it)
 */
record ContainerdLeftovers(ContainerdClient inspector, Path workerDir, String namespace) {

  Set<String> containerIds() {
    Set<String> ids = new TreeSet<>();
    inspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList()
        .forEach(c -> ids.add(c.getId()));
    return ids;
  }

  Set<String> taskIds() {
    Set<String> ids = new TreeSet<>();
    inspector.tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList()
        .forEach(t -> ids.add(t.getContainerId().isEmpty() ? t.getId() : t.getContainerId()));
    return ids;
  }

  Set<String> activeSnapshots() {
    Set<String> names = new TreeSet<>();
    inspector.snapshots(null).list(ListSnapshotsRequest.newBuilder().setSnapshotter("overlayfs").build())
        .forEachRemaining(page -> page.getInfoList().stream().filter(i -> i.getKind() == Kind.ACTIVE)
            .forEach(i -> names.add(i.getName())));
    return names;
  }

  /** Nothing of ours is left: no container, task, active snapshot or address. */
  void assertNothingLeft() throws IOException {
    assertThat(containerIds()).as("containers").isEmpty();
    assertThat(taskIds()).as("tasks").isEmpty();
    assertThat(activeSnapshots()).as("sandbox snapshots").isEmpty();
    assertThat(ipamHolders()).as("CNI addresses").isEmpty();
  }

  /** Addresses host-local holds for the worker's network (one file per address). */
  List<String> ipamHolders() throws IOException {
    Path ipam = workerDir.resolve("cni").resolve("pulse-" + namespace);
    if (!Files.isDirectory(ipam)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(ipam)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9.]+")).toList();
    }
  }
}
