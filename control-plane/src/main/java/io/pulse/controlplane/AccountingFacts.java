package io.pulse.controlplane;

import io.pulse.controlplane.accounting.ListedSandbox;
import io.pulse.controlplane.accounting.RegularFact;
import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.instances.InstanceState;
import io.pulse.controlplane.instances.ReportedSandbox;
import java.util.List;

/** The scheduler's records as accounting inputs. */
final class AccountingFacts {

  private AccountingFacts() {}

  static List<RegularFact> regular(List<Instance> instances) {
    return instances.stream().map(i -> new RegularFact(i.id(), i.function(), i.workerId(), i.resources().memoryMiB(),
        i.createdAtMillis(), i.state() == InstanceState.PENDING ? 0 : i.readyAtMillis(), i.adopted())).toList();
  }

  /** The Emergency Instances of a worker's listing (the control plane manages the others). */
  static List<ListedSandbox> emergency(List<ReportedSandbox> sandboxes) {
    return sandboxes.stream().filter(s -> s.kind() == ReportedSandbox.Kind.EMERGENCY
            && s.status() != ReportedSandbox.Status.EXITED)
        .map(s -> new ListedSandbox(s.instanceId(), s.function(), s.createdAtMillis(), s.resources().memoryMiB()))
        .toList();
  }
}
