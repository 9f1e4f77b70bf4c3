package io.pulse.controlplane.grpc;

import io.pulse.controlplane.accounting.ExpeditedSample;
import io.pulse.controlplane.accounting.UsageSample;
import io.pulse.controlplane.instances.ReportedSandbox;
import io.pulse.controlplane.load.FunctionLoadSample;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.placement.HostReservations;
import io.pulse.controlplane.routes.RouteSink;
import io.pulse.controlplane.status.FunctionStatus;
import java.util.List;

/** What the ControlPlaneService needs behind it. Every method is called on the control plane's context. */
public interface ControlPlaneHandler {

  record Registration(long epoch, int heartbeatIntervalMillis) {}

  record HeartbeatAnswer(boolean registered, long epoch) {}

  Registration registerWorker(WorkerInfo worker, List<ReportedSandbox> sandboxes);

  HeartbeatAnswer heartbeat(String workerId, List<ReportedSandbox> sandboxes);

  void reportLoad(String dataPlaneId, List<FunctionLoadSample> functions);

  /** The accounting part of a load report: busy time per instance, Emergency Instances' facts, expedited counts. */
  default void reportUsage(String dataPlaneId, List<UsageSample> usage, List<ExpeditedSample> expedited) {}

  /**
   * A Kubernetes bridge's report of what non-Pulse pods reserve per physical host; it replaces that bridge's previous
   * report.
   */
  default void hostReservations(String bridgeId, java.util.Map<String, HostReservations.Reserved> hosts) {}

  /**
   * Failures a data plane answered 502/504 for since its previous report: the callers got refs, the function's status
   * gets the details.
   */
  default void reportFailures(String dataPlaneId, List<FunctionStatus.Failure> failures) {}

  /** A registered worker's sandbox pools, from its heartbeat (replaces its previous report). */
  default void reportPools(String workerId, List<FunctionStatus.Pool> pools) {}

  /** Requests in flight per instance at one data plane, as its latest report says (replaces its previous view). */
  default void reportInFlight(String dataPlaneId, java.util.Map<String, Integer> inFlightByInstance) {}

  /** Starts a route stream: a full snapshot now, deltas after. */
  void watchRoutes(String dataPlaneId, RouteSink sink);

  /** The stream's transport has room again. */
  void routeSinkReady(RouteSink sink);

  /** The data plane applied the route update of this version. */
  void routesApplied(String dataPlaneId, long version);

  /** The stream ended (cancelled by the data plane, or failed). */
  void routeSinkClosed(String dataPlaneId, RouteSink sink);
}
