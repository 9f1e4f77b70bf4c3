package io.pulse.dataplane.lb;

import io.pulse.dataplane.routing.Instance;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** One claimed slot on one instance. {@link #release()} gives it back exactly once, however often it is called. */
public final class Lease {

  private final String function;
  private final Instance instance;
  private final AtomicInteger counter;
  private final Consumer<String> onRelease;
  private final AtomicBoolean released = new AtomicBoolean();

  Lease(String function, Instance instance, AtomicInteger counter, Consumer<String> onRelease) {
    this.function = function;
    this.instance = instance;
    this.counter = counter;
    this.onRelease = onRelease;
  }

  public String function() {
    return function;
  }

  public Instance instance() {
    return instance;
  }

  /** Frees the slot and wakes the function's waiters; true the first time only. */
  public boolean release() {
    if (!released.compareAndSet(false, true)) {
      return false;
    }
    counter.decrementAndGet();
    onRelease.accept(function);
    return true;
  }

  @Override
  public String toString() {
    return "Lease[" + function + " on " + instance.describe() + (released.get() ? ", released]" : "]");
  }
}
