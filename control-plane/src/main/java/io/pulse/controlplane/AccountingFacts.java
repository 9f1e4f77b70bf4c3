package io.pulse.controlplane;

import io.pulse.controlplane.accounting.ListedSandbox;
import io.pulse.controlplane.accounting.PoolHolding;
import io.pulse.controlplane.accounting.RegularFact;
import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.instances.InstanceState;
import io.pulse.controlplane.instances.ReportedSandbox;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.status.FunctionStatus;
import java.util.List;
import java.util.Map;

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

  /**
   * A worker's pools as holdings: members ready or being created (the worker's pool budget counts both), each of its
   * function's memory (the registry's: pools of an older revision drain when a newer one is made). A deleted
   * function's pools hold nothing the registry can price, and drain.
   */
  static List<PoolHolding> pools(String workerId, List<FunctionStatus.Pool> pools,
      Map<String, FunctionRecord> functions) {
    return pools.stream().filter(p -> functions.containsKey(p.function()))
        .map(p -> new PoolHolding(workerId, p.function(), p.ready() + p.creating(),
            functions.get(p.function()).spec().resources().memoryMiB(), 0))
        .toList();
  }
}
