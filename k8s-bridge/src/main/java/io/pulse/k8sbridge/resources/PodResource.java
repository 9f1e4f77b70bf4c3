package io.pulse.k8sbridge.resources;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pulse.k8sbridge.view.FunctionView;
import io.pulse.k8sbridge.view.InstanceView;
import io.pulse.k8sbridge.view.WorkerView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Regular Instance → Pod bound to its worker's Node, with the function's resource requests and a Running/Ready status
 * carrying the instance's IP (none when the worker advertises a host name). Nothing pulls its image or runs it: the
 * worker already does.
 */
public final class PodResource {

  /** Shown as the image of process-runtime instances, which have none. */
  public static final String NO_IMAGE = "pulse.invalid/process-runtime";
  public static final String CONTAINER = "function";

  private PodResource() {}

  /**
   * {@code host} when it is an IP literal, else null: an API server refuses a Pod status whose podIP or hostIP is not
   * an IP (422, "must be a valid IP address"), and a worker may advertise a host name.
   */
  static @Nullable String ip(String host) {
    return AddressKind.of(host) == AddressKind.FQDN ? null : host;
  }

  public static String name(String instanceId) {
    return Names.dnsLabel(instanceId);
  }

  public static Pod make(InstanceView instance, FunctionView function, WorkerView worker, MirrorConfig config,
      Instant now) {
    String image = function.image().isEmpty() ? NO_IMAGE : function.image();
    String stamp = Times.time(now);
    List<PodCondition> conditions = List.of("PodScheduled", "Initialized", "ContainersReady", "Ready").stream()
        .map(type -> new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType(type).withStatus("True")
            .withLastTransitionTime(stamp).build())
        .toList();
    return new PodBuilder()
        .withNewMetadata()
          .withName(name(instance.instanceId()))
          .withNamespace(config.namespace())
          .addToLabels(Labels.FUNCTION, Names.labelValue(function.name()))
          .addToLabels(Labels.REVISION, Long.toString(function.revision()))
          .addToLabels(Labels.WORKER, Names.labelValue(worker.workerId()))
          .addToLabels(Labels.INSTANCE, Names.labelValue(instance.instanceId()))
          .addToLabels(Labels.MANAGED_BY, config.owner())
          .addToAnnotations(Labels.INSTANCE_ID_ANNOTATION, instance.instanceId())
          .addToAnnotations(Labels.ENDPOINT_ANNOTATION, instance.host() + ":" + instance.port())
        .endMetadata()
        .withNewSpec()
          .withNodeName(NodeResource.name(worker.workerId()))
          .withAutomountServiceAccountToken(false)
          .withEnableServiceLinks(false)
          .addNewToleration().withKey(Labels.TAINT_KEY).withOperator("Exists").endToleration()
          .addNewContainer()
            .withName(CONTAINER)
            .withImage(image)
            .addNewPort().withName("http").withContainerPort(instance.port()).withProtocol("TCP").endPort()
            .withNewResources()
              .withRequests(Map.of("cpu", new Quantity(function.cpuMillis() + "m"),
                  "memory", new Quantity(function.memoryMiB() + "Mi")))
            .endResources()
          .endContainer()
        .endSpec()
        .withNewStatus()
          .withPhase("Running")
          .withPodIP(ip(instance.host()))
          .withPodIPs(ip(instance.host()) == null ? List.of() : List.of(new PodIP(instance.host())))
          .withHostIP(ip(worker.addressHost()))
          .withStartTime(stamp)
          .withConditions(conditions)
          .addNewContainerStatus()
            .withName(CONTAINER).withImage(image).withImageID("").withReady(true).withStarted(true)
            .withRestartCount(0)
            .withNewState().withNewRunning().withStartedAt(stamp).endRunning().endState()
          .endContainerStatus()
        .endStatus()
        .build();
  }
}
