package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.pulse.k8sbridge.resources.DesiredState;
import io.pulse.k8sbridge.resources.Labels;
import io.pulse.k8sbridge.resources.MirrorConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reconciler's decision, a pure function of (desired, actual, now): create what is missing, update what differs
 * in the fields we own, recreate what cannot be updated, delete ours that is no longer desired (and ours that someone
 * began to delete: the bridge plays their kubelet, and the next pass recreates them if still desired). An actual
 * object without our ownership marker is ignored even if it was handed in.
 */
public final class Diff {

  private final String owner;
  private final NodeMirror nodes;
  private final LeaseMirror leases;
  private final PodMirror pods = new PodMirror();
  private final ServiceMirror services = new ServiceMirror();
  private final EndpointSliceMirror slices = new EndpointSliceMirror();

  public Diff(MirrorConfig config) {
    this.owner = config.owner();
    this.nodes = new NodeMirror(config);
    this.leases = new LeaseMirror(config);
  }

  public Plan plan(DesiredState desired, ActualState actual, Instant now) {
    List<Action> upserts = new ArrayList<>();
    List<Action> deletes = new ArrayList<>();
    // Deletes run in the reverse order of creation: pods leave before their node.
    diff(nodes, desired.nodes(), actual.nodes(), now, upserts, deletes);
    diff(leases, desired.leases(), actual.leases(), now, upserts, deletes);
    diff(services, desired.services(), actual.services(), now, upserts, deletes);
    diff(slices, desired.slices(), actual.slices(), now, upserts, deletes);
    diff(pods, desired.pods(), actual.pods(), now, upserts, deletes);
    List<Action> actions = new ArrayList<>(deletes.reversed());
    actions.addAll(upserts);
    return actions.isEmpty() ? Plan.NOTHING : new Plan(actions);
  }

  /**
   * The update body of {@code desired} over a {@code fresh} read of the object: what an update refused for a stale
   * resource version is retried with.
   */
  public HasMetadata merged(ObjectKind kind, HasMetadata desired, HasMetadata fresh) {
    return switch (kind) {
      case NODE -> nodes.merged((Node) desired, (Node) fresh);
      case LEASE -> leases.merged((Lease) desired, (Lease) fresh);
      case POD -> pods.merged((Pod) desired, (Pod) fresh);
      case SERVICE -> services.merged((Service) desired, (Service) fresh);
      case ENDPOINT_SLICE -> slices.merged((EndpointSlice) desired, (EndpointSlice) fresh);
    };
  }

  private <T extends HasMetadata> void diff(Mirror<T> mirror, List<T> desired, List<T> actual, Instant now,
      List<Action> upserts, List<Action> deletes) {
    Map<String, T> have = new LinkedHashMap<>();
    for (T object : actual) {
      if (Labels.ownedBy(object, owner)) {
        have.put(key(object), object);
      }
    }
    List<Action> kindDeletes = new ArrayList<>();
    Map<String, T> want = new LinkedHashMap<>();
    desired.forEach(object -> want.put(key(object), object));
    for (T object : have.values()) {
      boolean deleting = object.getMetadata().getDeletionTimestamp() != null;
      if (deleting || !want.containsKey(key(object))) {
        kindDeletes.add(new Action.Delete(mirror.kind(), Objects.requireNonNullElse(
            object.getMetadata().getNamespace(), ""), object.getMetadata().getName()));
      }
    }
    for (T wanted : want.values()) {
      T current = have.get(key(wanted));
      if (current == null) {
        upserts.add(new Action.Create(mirror.kind(), wanted));
      } else if (current.getMetadata().getDeletionTimestamp() != null) {
        continue; // deleted above; created again by the next pass
      } else if (mirror.mustRecreate(wanted, current)) {
        upserts.add(new Action.Recreate(mirror.kind(), wanted));
      } else {
        boolean spec = !mirror.specMatches(wanted, current, now);
        boolean status = mirror.hasStatus() && !mirror.statusMatches(wanted, current, now);
        if (spec || status) {
          upserts.add(new Action.Update(mirror.kind(), wanted, mirror.merged(wanted, current), spec, status));
        }
      }
    }
    // Reverse within the kind too, so that the final reversal keeps each kind's own order.
    deletes.addAll(kindDeletes.reversed());
  }

  private static String key(HasMetadata object) {
    return Objects.requireNonNullElse(object.getMetadata().getNamespace(), "") + "/" + object.getMetadata().getName();
  }
}
