package io.pulse.controlplane.instances;

import java.util.List;

/**
 * What to do for one function now.
 *
 * @param create new instances of the current revision to start
 * @param drain ready instances to take out of routing and then delete
 */
public record ScalePlan(int create, List<String> drain) {

  public static final ScalePlan NOTHING = new ScalePlan(0, List.of());

  public ScalePlan {
    drain = List.copyOf(drain);
  }
}
