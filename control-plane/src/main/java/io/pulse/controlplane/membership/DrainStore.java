package io.pulse.controlplane.membership;

import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;

/**
 * Where the workers an operator drained are written down so that a drain outlives the leader term that took it: the
 * replicated registry (every replica's store and the replicated map), or memory for a control plane without one.
 */
public interface DrainStore {

  /** The ids of the workers drained now; an immutable snapshot, never blocks. */
  Set<String> drained();

  /** Records a drain (true) or a resume (false); completes once it is durable (fails on a replica that may not write). */
  Future<Void> setDraining(String workerId, boolean draining);

  /** Kept in this object only: a single control plane whose registry was handed in (tests). */
  static DrainStore inMemory() {
    return new DrainStore() {
      private volatile Set<String> drained = Set.of();

      @Override
      public Set<String> drained() {
        return drained;
      }

      @Override
      public synchronized Future<Void> setDraining(String workerId, boolean draining) {
        Set<String> next = new HashSet<>(drained);
        if (draining) {
          next.add(workerId);
        } else {
          next.remove(workerId);
        }
        drained = Set.copyOf(next);
        return Future.succeededFuture();
      }
    };
  }
}
