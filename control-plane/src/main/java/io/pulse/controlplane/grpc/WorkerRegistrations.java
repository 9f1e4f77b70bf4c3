package io.pulse.controlplane.grpc;

import io.pulse.controlplane.instances.ReportedSandbox;
import io.pulse.controlplane.membership.WorkerInfo;
import java.util.List;

/** Workers joining the current term and staying in it. Called on the control plane's context. */
public interface WorkerRegistrations {

  record Registration(long epoch, int heartbeatIntervalMillis) {}

  record HeartbeatAnswer(boolean registered, long epoch) {}

  Registration registerWorker(WorkerInfo worker, List<ReportedSandbox> sandboxes);

  HeartbeatAnswer heartbeat(String workerId, List<ReportedSandbox> sandboxes);
}
