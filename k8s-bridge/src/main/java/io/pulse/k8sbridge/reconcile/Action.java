package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/** One write the reconciler makes. */
public sealed interface Action {

  ObjectKind kind();

  /** The object's namespace, empty for cluster-scoped kinds. */
  String namespace();

  String name();

  /** Which object the action concerns: refusals are backed off per object, whatever the action. */
  default String key() {
    return kind() + "/" + namespace() + "/" + name();
  }

  /** Create {@code object}; when it carries a status, write that too (the API server ignores a Pod's on create). */
  record Create(ObjectKind kind, HasMetadata object) implements Action {
    @Override
    public String namespace() {
      return namespaceOf(object);
    }

    @Override
    public String name() {
      return object.getMetadata().getName();
    }
  }

  /**
   * Update an object of ours. {@code object} is the actual object (its resource version locks the update) with our
   * fields set from {@code desired}, which is kept so that a conflict can be merged again onto a fresh read.
   *
   * @param spec whether the object itself changes
   * @param status whether its status (subresource) changes
   */
  record Update(ObjectKind kind, HasMetadata desired, HasMetadata object, boolean spec, boolean status)
      implements Action {
    @Override
    public String namespace() {
      return namespaceOf(object);
    }

    @Override
    public String name() {
      return object.getMetadata().getName();
    }
  }

  /** Delete an object of ours and create it anew: a field that cannot be updated (a Pod's node or requests) changed. */
  record Recreate(ObjectKind kind, HasMetadata object) implements Action {
    @Override
    public String namespace() {
      return namespaceOf(object);
    }

    @Override
    public String name() {
      return object.getMetadata().getName();
    }
  }

  /** Delete an object of ours at once (pods: grace period 0, there is no kubelet to wait for). */
  record Delete(ObjectKind kind, String namespace, String name) implements Action {}

  private static String namespaceOf(HasMetadata object) {
    return Objects.requireNonNullElse(object.getMetadata().getNamespace(), "");
  }
}
