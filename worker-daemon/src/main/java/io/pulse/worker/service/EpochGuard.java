package io.pulse.worker.service;

import io.pulse.worker.sandbox.SandboxKind;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Fences commands from an old control-plane leader: remembers the highest epoch seen and refuses lower ones.
 *
 * <p>Epoch 0 is what data planes send: they create and delete Emergency Instances without a leader term. It is
 * therefore admitted only for an Emergency Instance (or an instance this worker does not know, where there is nothing
 * to harm); a command at epoch 0 on a Regular Instance is refused, else anything could delete the leader's instances
 * past every fence.
 */
public final class EpochGuard {

  /** Why a command was refused: {@code reason} is a metric label, {@code message} tells the caller. */
  public record Refusal(String reason, String message) {}

  private final AtomicLong highest;
  private final LongConsumer onRise;

  /** Starts from nothing seen; keeps nothing. */
  public EpochGuard() {
    this(0, epoch -> {});
  }

  /**
   * @param initial the highest epoch a previous run saw
   * @param onRise told each new highest epoch (to keep it across restarts); must not block
   */
  public EpochGuard(long initial, LongConsumer onRise) {
    this.highest = new AtomicLong(initial);
    this.onRise = onRise;
  }

  /**
   * Null when a command at this epoch may run on the instance; a higher epoch becomes the new highest.
   *
   * @param kind the instance's kind, or null when the command concerns no instance this worker holds
   */
  public @Nullable Refusal check(long epoch, @Nullable SandboxKind kind) {
    if (epoch == 0) {
      return kind == SandboxKind.REGULAR ? new Refusal("regular_epoch_zero", "epoch 0 is for Emergency Instances "
          + "only: a command on a Regular Instance must carry the leader's epoch (highest seen "
          + highest.get() + ")") : null;
    }
    long seen = raise(epoch);
    return epoch >= seen ? null
        : new Refusal("stale_epoch", "epoch " + epoch + " is older than epoch " + seen + " already seen");
  }

  /** Learns an epoch from a register or heartbeat answer. */
  public void observe(long epoch) {
    raise(epoch);
  }

  public long highest() {
    return highest.get();
  }

  private long raise(long epoch) {
    long before = highest.getAndAccumulate(epoch, Math::max);
    if (epoch > before) {
      onRise.accept(epoch);
      return epoch;
    }
    return before;
  }
}
