package io.pulse.dataplane;

import io.pulse.dataplane.expedited.EmergencyInstance;
import io.pulse.dataplane.expedited.Reservation;
import io.pulse.dataplane.lb.Lease;

/**
 * What a request is given when it may go ahead: a slot on a Regular Instance, an idle Emergency Instance (kept alive
 * after a request, or just created for whoever waited first), or headroom on a worker to create a new Emergency
 * Instance for this request. The wait queue hands these out in arrival order.
 */
sealed interface Grant {

  String function();

  record Regular(Lease lease) implements Grant {
    @Override
    public String function() {
      return lease.function();
    }
  }

  /** {@code fresh}: just created for whoever waited first, so this is its first exchange. */
  record Warm(EmergencyInstance instance, boolean fresh) implements Grant {
    @Override
    public String function() {
      return instance.function();
    }
  }

  /** Headroom to create an instance; its reservation's creation ticket holds the creation places until it ends. */
  record Fresh(String function, Reservation reservation) implements Grant {}
}
