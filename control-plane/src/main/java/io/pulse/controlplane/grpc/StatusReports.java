package io.pulse.controlplane.grpc;

import io.pulse.controlplane.status.FunctionStatus;
import java.util.List;

/** What goes into functions' status from outside: data planes' failures, workers' pools. On the context. */
public interface StatusReports {

  /**
   * Failures a data plane answered 502/504 for since its previous report: the callers got refs, the function's status
   * gets the details.
   */
  default void reportFailures(String dataPlaneId, List<FunctionStatus.Failure> failures) {}

  /** A registered worker's sandbox pools, from its heartbeat (replaces its previous report). */
  default void reportPools(String workerId, List<FunctionStatus.Pool> pools) {}
}
