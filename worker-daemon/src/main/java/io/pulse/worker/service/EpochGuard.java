package io.pulse.worker.service;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Fences commands from an old control-plane leader: remembers the highest epoch seen and refuses lower non-zero ones.
 * Epoch 0 marks emergency creations by data planes, which are always accepted.
 */
public final class EpochGuard {

  private final AtomicLong highest = new AtomicLong();

  /** True when a command with this epoch may run; a higher epoch becomes the new highest. */
  public boolean admit(long epoch) {
    if (epoch == 0) {
      return true;
    }
    long seen = highest.accumulateAndGet(epoch, Math::max);
    return epoch >= seen;
  }

  /** Learns an epoch from a register or heartbeat answer. */
  public void observe(long epoch) {
    highest.accumulateAndGet(epoch, Math::max);
  }

  public long highest() {
    return highest.get();
  }
}
