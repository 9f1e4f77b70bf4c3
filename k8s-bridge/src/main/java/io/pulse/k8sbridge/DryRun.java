package io.pulse.k8sbridge;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WatchRoutesRequest;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.k8sbridge.resources.DesiredState;
import io.pulse.k8sbridge.resources.MirrorConfig;
import io.pulse.k8sbridge.view.ClusterView;
import io.pulse.k8sbridge.watch.LeaderLocator;
import io.pulse.k8sbridge.watch.RouteMessages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code --dry-run}: takes one route snapshot from the leader and renders the objects the bridge would apply. */
public final class DryRun {

  private DryRun() {}

  /** The leader's current view (the first full snapshot of a WatchRoutes call). */
  public static ClusterView snapshot(List<io.pulse.common.net.HostPort> controlPlanes, String watcherId,
      Duration timeout) {
    String target = new LeaderLocator(controlPlanes).locate();
    ManagedChannel channel = GrpcChannels.plaintext(target);
    Context.CancellableContext context = Context.current().withCancellation();
    try {
      return context.call(() -> {
        Iterator<RouteUpdate> updates = ControlPlaneServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .watchRoutes(WatchRoutesRequest.newBuilder().setDataPlaneId(watcherId).build());
        while (updates.hasNext()) {
          RouteUpdate update = updates.next();
          if (update.getFullSnapshot()) {
            return RouteMessages.apply(ClusterView.EMPTY, update);
          }
        }
        throw new IllegalStateException("the control plane at " + target + " closed the route stream before a "
            + "snapshot");
      });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    } finally {
      context.cancel(null);
      GrpcChannels.close(channel);
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
