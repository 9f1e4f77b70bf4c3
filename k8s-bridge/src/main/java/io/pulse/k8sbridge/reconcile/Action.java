package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** One write the reconciler makes. */
public sealed interface Action {

  ObjectKind kind();

  String name();

  /** Create {@code object}; when it carries a status, write that too (the API server ignores status on create). */
  record Create(ObjectKind kind, HasMetadata object) implements Action {
    @Override
    public String name() {
      return object.getMetadata().getName();
    }
  }

  /**
   * Update an object of ours. {@code object} is the actual object (its resource version locks the update) with our
   * fields set from the desired one.
   *
   * @param spec whether the object itself changes
   * @param status whether its status (subresource) changes
   */
  record Update(ObjectKind kind, HasMetadata object, boolean spec, boolean status) implements Action {
    @Override
    public String name() {
      return object.getMetadata().getName();
    }
  }

  /** Delete an object of ours and create it anew: a field that cannot be updated (a Pod's node or requests) changed. */
  record Recreate(ObjectKind kind, HasMetadata object) implements Action {
    @Override
    public String name() {
      return object.getMetadata().getName();
    }
  }

  /** Delete an object of ours at once (pods: grace period 0, there is no kubelet to wait for). */
  record Delete(ObjectKind kind, String namespace, String name) implements Action {}
}
