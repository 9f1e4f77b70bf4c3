package io.pulse.controlplane.grpc;

import io.pulse.controlplane.accounting.ExpeditedSample;
import io.pulse.controlplane.accounting.UsageSample;
import io.pulse.controlplane.load.FunctionLoadSample;
import java.util.List;
import java.util.Map;

/** What data planes report about load, usage and requests in flight. Called on the control plane's context. */
public interface LoadReports {

  void reportLoad(String dataPlaneId, List<FunctionLoadSample> functions);

  /** The accounting part of a load report: busy time per instance, Emergency Instances' facts, expedited counts. */
  default void reportUsage(String dataPlaneId, List<UsageSample> usage, List<ExpeditedSample> expedited) {}

  /** Requests in flight per instance at one data plane, as its latest report says (replaces its previous view). */
  default void reportInFlight(String dataPlaneId, Map<String, Integer> inFlightByInstance) {}
}
