package io.pulse.dataplane.coldstart;

import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** A slot pool for queue tests: numbered tokens, at most {@code capacity} out at once. */
final class TokenSlots implements WaitQueue.Slots<Integer> {

  private final AtomicInteger capacity;
  private final AtomicInteger out = new AtomicInteger();
  private final AtomicInteger issued = new AtomicInteger();

  TokenSlots(int capacity) {
    this.capacity = new AtomicInteger(capacity);
  }

  @Override
  public @Nullable Integer tryAcquire(int ahead) {
    while (true) {
      int now = out.get();
      if (now >= capacity.get()) {
        return null;
      }
      if (out.compareAndSet(now, now + 1)) {
        return issued.incrementAndGet();
      }
    }
  }

  void release() {
    out.decrementAndGet();
  }

  void grow(int more) {
    capacity.addAndGet(more);
  }

  int out() {
    return out.get();
  }

  int free() {
    return capacity.get() - out.get();
  }
}
