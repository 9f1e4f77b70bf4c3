package io.pulse.k8sbridge;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulse.common.net.HostPort;
import io.pulse.k8sbridge.resources.DesiredState;
import io.pulse.k8sbridge.resources.MirrorConfig;
import io.pulse.k8sbridge.view.ClusterView;
import io.pulse.k8sbridge.watch.RouteFollower;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code --dry-run}: takes one route snapshot from the leader and renders the objects the bridge would apply. */
public final class DryRun {

  private DryRun() {}

  /**
   * The leader's current view: the first full snapshot of its route stream, followed as the bridge follows it
   * ({@link RouteFollower}: the leader found with {@code GetLeader}, a failed stream retried with backoff).
   *
   * @throws StatusRuntimeException DEADLINE_EXCEEDED when no snapshot came within {@code timeout}
   */
  public static ClusterView snapshot(List<HostPort> controlPlanes, String watcherId, Duration timeout) {
    CompletableFuture<Void> first = new CompletableFuture<>();
    try (RouteFollower follower = new RouteFollower(controlPlanes, watcherId, () -> first.complete(null))) {
      follower.start();
      try {
        first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw Status.DEADLINE_EXCEEDED.withDescription("no route snapshot from " + follower.leader() + " within "
            + timeout.toMillis() + " ms").asRuntimeException();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
      return follower.view();
    }
  }

  /** The objects as a YAML stream (documents separated by {@code ---}), in creation order. */
  public static String render(ClusterView view, MirrorConfig config, Instant now) {
    DesiredState desired = DesiredState.of(view, Map.of(), config, now);
    List<HasMetadata> objects = new ArrayList<>();
    objects.addAll(desired.nodes());
    objects.addAll(desired.leases());
    objects.addAll(desired.services());
    objects.addAll(desired.slices());
    objects.addAll(desired.pods());
    StringBuilder yaml = new StringBuilder();
    for (HasMetadata object : objects) {
      String doc = Serialization.asYaml(object);
      yaml.append(doc.startsWith("---") ? doc : "---\n" + doc);
      if (!doc.endsWith("\n")) {
        yaml.append('\n');
      }
    }
    return yaml.toString();
  }
}
