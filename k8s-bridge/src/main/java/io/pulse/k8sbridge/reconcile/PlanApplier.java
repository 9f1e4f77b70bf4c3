package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a plan through fabric8, action by action. A refusal that concerns one object (409 conflict or "already
 * exists", 404, 422) is logged and skipped; anything else (the API server unreachable, 5xx, forbidden) aborts the
 * pass with the exception, and the loop backs off. Blocking; runs on the reconcile loop's thread.
 */
public final class PlanApplier {

  private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);

  private final KubernetesClient client;
  private final Consumer<Action> onApplied;

  /** @param onApplied told of every action that took effect (metrics) */
  public PlanApplier(KubernetesClient client, Consumer<Action> onApplied) {
    this.client = client;
    this.onApplied = onApplied;
  }

  public ApplyResult apply(Plan plan) {
    int applied = 0;
    List<String> skipped = new ArrayList<>();
    for (Action action : plan.actions()) {
      try {
        apply(action);
        applied++;
        onApplied.accept(action);
        LOG.atDebug().setMessage("applied").addKeyValue("action", action.getClass().getSimpleName())
            .addKeyValue("kind", action.kind()).addKeyValue("name", action.name()).log();
      } catch (KubernetesClientException e) {
        if (!objectLevel(e.getCode())) {
          throw e;
        }
        String reason = action.getClass().getSimpleName() + " " + action.kind() + " " + action.name() + ": HTTP "
            + e.getCode() + " " + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
        LOG.atWarn().setMessage("action refused; the next pass retries").addKeyValue("action",
            action.getClass().getSimpleName()).addKeyValue("kind", action.kind()).addKeyValue("name", action.name())
            .addKeyValue("status", e.getCode()).log();
        skipped.add(reason);
      }
    }
    return new ApplyResult(applied, skipped);
  }

  private static boolean objectLevel(int code) {
    return code == HttpURLConnection.HTTP_CONFLICT || code == HttpURLConnection.HTTP_NOT_FOUND || code == 422;
  }

  private void apply(Action action) {
    switch (action) {
      case Action.Create create -> create(create.object());
      case Action.Update update -> update(update);
      case Action.Recreate recreate -> {
        delete(recreate.kind(), recreate.object().getMetadata().getNamespace(), recreate.name());
        create(recreate.object());
      }
      case Action.Delete delete -> delete(delete.kind(), delete.namespace(), delete.name());
    }
  }

  private void create(HasMetadata object) {
    HasMetadata created = resource(object).create();
    HasMetadata withStatus = withStatusOf(object, created);
    if (withStatus != null) {
      // The API server drops the status of a new object; write it through the status subresource.
      resource(withStatus).updateStatus();
    }
  }

  private void update(Action.Update update) {
    @Nullable HasMetadata object = update.object();
    if (update.spec()) {
      HasMetadata updated = resource(object).update();
      object = update.status() ? withStatusOf(object, updated) : null;
    }
    if (object != null && update.status()) {
      resource(object).updateStatus();
    }
  }

  private void delete(ObjectKind kind, String namespace, String name) {
    switch (kind) {
      case NODE -> client.nodes().withName(name).delete();
      case LEASE -> client.leases().inNamespace(namespace).withName(name).delete();
      case POD -> client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
      case SERVICE -> client.services().inNamespace(namespace).withName(name).delete();
      case ENDPOINT_SLICE -> client.discovery().v1().endpointSlices().inNamespace(namespace).withName(name).delete();
    }
  }

  /** {@code server}'s copy (its resource version) with the status of {@code wanted}; null for kinds without one. */
  private static @Nullable HasMetadata withStatusOf(HasMetadata wanted, HasMetadata server) {
    return switch (wanted) {
      case Node n when n.getStatus() != null -> {
        Node copy = (Node) server;
        copy.setStatus(n.getStatus());
        yield copy;
      }
      case Pod p when p.getStatus() != null -> {
        Pod copy = (Pod) server;
        copy.setStatus(p.getStatus());
        yield copy;
      }
      default -> null;
    };
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
