package io.pulse.controlplane.grpc;

import io.pulse.controlplane.instances.WorkerListing;
import io.pulse.controlplane.membership.WorkerInfo;

/** Workers joining the current term and staying in it. Called on the control plane's context. */
public interface WorkerRegistrations {

  record Registration(long epoch, int heartbeatIntervalMillis) {}

  record HeartbeatAnswer(boolean registered, long epoch) {}

  Registration registerWorker(WorkerInfo worker, WorkerListing listing);

  HeartbeatAnswer heartbeat(String workerId, WorkerListing listing);
}
