package io.pulse.controlplane.grpc;

import io.pulse.api.v1.FailureNote;
import io.pulse.api.v1.FunctionLoad;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.InstanceUsage;
import io.pulse.controlplane.accounting.ExpeditedSample;
import io.pulse.controlplane.accounting.UsageSample;
import io.pulse.controlplane.status.FunctionStatus;
import java.util.List;

/** The accounting and failure parts of a LoadReport, to records. Bad input fails with IllegalArgumentException naming the field. */
final class UsageProtos {

  private UsageProtos() {}

  static List<UsageSample> usage(List<InstanceUsage> usage) {
    return usage.stream().map(u -> new UsageSample(u.getInstanceId(), u.getFunction(),
        u.getKind() == InstanceKind.EMERGENCY ? io.pulse.controlplane.accounting.InstanceKind.EMERGENCY
            : io.pulse.controlplane.accounting.InstanceKind.REGULAR,
        Math.max(0, u.getBusyMicros()), u.getWorkerId(), u.getCreatedAtMs(), Math.max(0, u.getCreationMicros()),
        u.getEndedAtMs(), Math.max(0, u.getMemoryMib()))).toList();
  }

  /** In-flight requests by instance id (instances with none are left out). */
  static java.util.Map<String, Integer> inFlight(List<InstanceUsage> usage) {
    java.util.Map<String, Integer> result = new java.util.HashMap<>();
    for (InstanceUsage u : usage) {
      if (u.getInFlight() > 0) {
        result.merge(u.getInstanceId(), u.getInFlight(), Integer::sum);
      }
    }
    return result;
  }

  static List<ExpeditedSample> expedited(List<FunctionLoad> loads) {
    return loads.stream().filter(l -> l.getExpedited() > 0 || l.getExpeditedCounted() > 0
            || l.getEmergencyInFlight() > 0)
        .map(l -> new ExpeditedSample(l.getFunction(), Math.max(0, l.getExpedited()),
            Math.max(0, l.getExpeditedCounted()), Math.max(0, l.getEmergencyInFlight()))).toList();
  }

  /** Longest detail kept (a function's log tail is short; a misbehaving data plane must not fill the leader's heap). */
  static final int MAX_DETAIL_CHARS = 4096;

  static List<FunctionStatus.Failure> failures(String dataPlaneId, List<FailureNote> notes) {
    return notes.stream().filter(n -> !n.getFunction().isEmpty() && !n.getRef().isEmpty())
        .map(n -> new FunctionStatus.Failure(n.getRef(), n.getFunction(), n.getStage(), dataPlaneId,
            n.getInstanceId(), n.getWorkerId(), n.getCode(),
            n.getDetail().length() > MAX_DETAIL_CHARS ? n.getDetail().substring(0, MAX_DETAIL_CHARS)
                : n.getDetail(), n.getAtMs()))
        .toList();
  }
}
