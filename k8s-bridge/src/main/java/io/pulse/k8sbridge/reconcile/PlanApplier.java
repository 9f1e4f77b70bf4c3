package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a plan through fabric8, action by action, the way a real API server takes it:
 * <ul>
 *   <li>Status goes through the status subresource as a JSON merge patch of the status alone, without a resource
 *       version: other writers (kube-controller-manager's node controllers touch every new Node) cannot make it
 *       conflict, and it is the only way a Pod's status is kept (the server resets it on create).
 *   <li>An update is locked by the resource version of the pass's read; when someone wrote in between (409), the
 *       object is read afresh, our fields merged onto it again, and the update retried once.
 *   <li>Deleting an object that is already gone (404) is done.
 * </ul>
 * A refusal that concerns one object (400, 404, 409, 422) is returned with the server's reason; anything else (the
 * API server unreachable, 5xx, forbidden) aborts the pass with the exception, and the loop backs off. Blocking; runs on
 * the reconcile loop's thread.
 */
public final class PlanApplier {

  private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);
  private static final int UNPROCESSABLE = 422;

  /** Merges the desired object onto a fresh read (the kind's mirror). */
  @FunctionalInterface
  public interface Merger {
    HasMetadata merged(ObjectKind kind, HasMetadata desired, HasMetadata fresh);
  }

  private final KubernetesClient client;
  private final Merger merger;

  public PlanApplier(KubernetesClient client, Merger merger) {
    this.client = client;
    this.merger = merger;
  }

  public ApplyResult apply(Plan plan) {
    List<Action> applied = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    for (Action action : plan.actions()) {
      try {
        apply(action);
        applied.add(action);
        LOG.atDebug().setMessage("applied").addKeyValue("action", action.getClass().getSimpleName())
            .addKeyValue("kind", action.kind()).addKeyValue("name", action.name()).log();
      } catch (KubernetesClientException e) {
        if (!objectLevel(e.getCode())) {
          throw e;
        }
        refused.add(Refusal.of(action, e));
      }
    }
    return new ApplyResult(applied, refused);
  }

  private static boolean objectLevel(int code) {
    return code == HttpURLConnection.HTTP_BAD_REQUEST || code == HttpURLConnection.HTTP_CONFLICT
        || code == HttpURLConnection.HTTP_NOT_FOUND || code == UNPROCESSABLE;
  }

  private void apply(Action action) {
    switch (action) {
      case Action.Create create -> create(create.object());
      case Action.Update update -> update(update);
      case Action.Recreate recreate -> {
        delete(recreate.kind(), recreate.namespace(), recreate.name());
        create(recreate.object());
      }
      case Action.Delete delete -> delete(delete.kind(), delete.namespace(), delete.name());
    }
  }

  private void create(HasMetadata object) {
    resource(object).create();
    writeStatus(object);
  }

  private void update(Action.Update update) {
    if (update.spec()) {
      try {
        resource(update.object()).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        // Written by someone else since the pass read it: merge onto a fresh read, once; a second conflict is refused.
        HasMetadata fresh = resource(update.object()).get();
        if (fresh == null) {
          throw e;
        }
        resource(merger.merged(update.kind(), update.desired(), fresh)).update();
      }
    }
    if (update.status()) {
      writeStatus(update.object());
    }
  }

  private void delete(ObjectKind kind, String namespace, String name) {
    try {
      switch (kind) {
        case NODE -> client.nodes().withName(name).delete();
        case LEASE -> client.leases().inNamespace(namespace).withName(name).delete();
        case POD -> client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
        case SERVICE -> client.services().inNamespace(namespace).withName(name).delete();
        case ENDPOINT_SLICE -> client.discovery().v1().endpointSlices().inNamespace(namespace).withName(name)
            .delete();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Patches the status of {@code wanted} (Nodes and Pods; other kinds have none of ours) onto the server's object. */
  private void writeStatus(HasMetadata wanted) {
    @Nullable HasMetadata patch = switch (wanted) {
      case Node n when n.getStatus() != null -> new NodeBuilder()
          .withNewMetadata().withName(n.getMetadata().getName()).endMetadata()
          .withStatus(n.getStatus())
          .build();
      case Pod p when p.getStatus() != null -> new PodBuilder()
          .withNewMetadata().withName(p.getMetadata().getName()).withNamespace(p.getMetadata().getNamespace())
          .endMetadata()
          .withStatus(p.getStatus())
          .build();
      default -> null;
    };
    if (patch != null) {
      resource(patch).patchStatus();
    }
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> Resource<T> resource(T object) {
    return switch (object) {
      case Node n -> (Resource<T>) client.nodes().resource(n);
      case Lease l -> (Resource<T>) client.leases().resource(l);
      case Pod p -> (Resource<T>) client.pods().resource(p);
      case Service s -> (Resource<T>) client.services().resource(s);
      case EndpointSlice e -> (Resource<T>) client.discovery().v1().endpointSlices().resource(e);
      default -> throw new IllegalArgumentException("kind not mirrored: " + object.getKind());
    };
  }
}
