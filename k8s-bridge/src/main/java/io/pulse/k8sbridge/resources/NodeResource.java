package io.pulse.k8sbridge.resources;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pulse.k8sbridge.view.WorkerView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Worker → Node, virtual-kubelet style: tainted, labelled with its physical host, Ready while the worker lives. */
public final class NodeResource {

  /** Pods a Pulse node admits (a Node without a pod capacity admits none). */
  static final String MAX_PODS = "1000";

  private NodeResource() {}

  /** The Node's name for a worker id. */
  public static String name(String workerId) {
    return Names.dnsLabel("pulse-" + workerId);
  }

  /**
   * @param topology labels copied from the physical host's own Node (zone, region), empty when there is none
   */
  public static Node make(WorkerView worker, Map<String, String> topology, MirrorConfig config, Instant now) {
    Map<String, String> labels = new LinkedHashMap<>(topology);
    labels.put(Labels.HOSTNAME, Names.labelValue(worker.hostname().isEmpty() ? worker.addressHost()
        : worker.hostname()));
    labels.put(Labels.WORKER, Names.labelValue(worker.workerId()));
    labels.put(Labels.RUNTIME, Names.labelValue(worker.runtime()));
    labels.put("type", "virtual-kubelet");
    labels.put("kubernetes.io/os", "linux");
    labels.put(Labels.MANAGED_BY, config.owner());
    Map<String, Quantity> capacity = Map.of(
        "cpu", new Quantity(worker.cpuMillis() + "m"),
        "memory", new Quantity(worker.memoryMiB() + "Mi"),
        "pods", new Quantity(MAX_PODS));
    String stamp = Times.time(now);
    NodeAddress address = new NodeAddress(worker.addressHost(),
        AddressKind.of(worker.addressHost()) == AddressKind.FQDN ? "Hostname" : "InternalIP");
    return new NodeBuilder()
        .withNewMetadata()
          .withName(name(worker.workerId()))
          .withLabels(labels)
          .addToAnnotations(Labels.WORKER_ID_ANNOTATION, worker.workerId())
        .endMetadata()
        .withNewSpec()
          .addNewTaint().withKey(Labels.TAINT_KEY).withValue("true").withEffect("NoSchedule").endTaint()
        .endSpec()
        .withNewStatus()
          .withCapacity(capacity)
          .withAllocatable(capacity)
          .withAddresses(address)
          .addNewCondition()
            .withType("Ready").withStatus("True").withReason("PulseWorkerLive")
            .withMessage("the Pulse control plane reports this worker live")
            .withLastHeartbeatTime(stamp).withLastTransitionTime(stamp)
          .endCondition()
          .withNewNodeInfo()
            .withOperatingSystem("linux").withArchitecture("amd64")
            .withKubeletVersion("pulse-k8s-bridge").withContainerRuntimeVersion("pulse-" + worker.runtime())
            .withKubeProxyVersion("").withOsImage("").withKernelVersion("").withMachineID("").withSystemUUID("")
            .withBootID("")
          .endNodeInfo()
        .endStatus()
        .build();
  }
}
