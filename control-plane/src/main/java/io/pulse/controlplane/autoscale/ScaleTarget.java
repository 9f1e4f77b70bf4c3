package io.pulse.controlplane.autoscale;

/** What the autoscale runner needs from the instance side: counts to decide on, and a place to send the result. */
public interface ScaleTarget {

  /** Instances that serve now, of any revision. */
  int readyInstances(String function);

  /** Instances ready or being created. */
  int instances(String function);

  /** Asks for {@code desired} instances of the function; the receiver creates or removes the difference. */
  void scale(String function, int desired);
}
