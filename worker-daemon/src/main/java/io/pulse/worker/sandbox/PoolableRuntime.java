package io.pulse.worker.sandbox;

import java.util.concurrent.CompletionStage;

/**
 * A runtime whose sandboxes can be made up to, not including, their start, for a pool ({@code containerd/pool/}) to
 * hold and a creation to claim: containerd's, and the fake one's simulation of it (so that trace replays exercise the
 * same pool logic at scale).
 *
 * @param <M> what the runtime hands out for one such member
 */
public interface PoolableRuntime<M> extends SandboxRuntime {

  /**
   * As {@link SandboxRuntime#close()}, and also removes every member not claimed, whether its pool holds it, is
   * discarding it or has not heard of it yet (its creation was under way): a closed runtime leaves no member behind
   * but what its close deadline left for the next start's recovery.
   */
  @Override
  CompletionStage<Void> close();

  /** Prepares a member of {@code spec} under {@code memberId}; a failure leaves nothing behind. Not listed. */
  CompletionStage<M> precreate(String memberId, SandboxSpec spec);

  /** Makes {@code member} instance {@code instanceId} and completes once it accepts connections. */
  CompletionStage<CreatedSandbox> start(M member, String instanceId, SandboxKind kind);

  /** Removes a member that will not be claimed, with all it holds; nothing when a close took it already. */
  CompletionStage<Void> discard(M member);

  /** The member's id, for logs. */
  String memberId(M member);

  /** How long the member took to prepare; 0 when unknown. */
  default long creationMicros(M member) {
    return 0;
  }
}
