package io.pulse.k8sbridge.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.pulse.k8sbridge.view.FunctionView;

/**
 * Function → a selector-less Service whose endpoints are the data planes (see {@link EndpointSliceResource}), so that
 * callers inside the cluster get the gateway's queueing and scaling. The data plane routes by path {@code /fn/NAME/}
 * (annotated on the Service) or by {@code Host: NAME.DOMAIN}.
 */
public final class ServiceResource {

  private ServiceResource() {}

  public static String name(String function) {
    return Names.dns1035Label(function);
  }

  public static Service make(FunctionView function, MirrorConfig config) {
    int targetPort = config.dataPlanes().isEmpty() ? 8080 : config.dataPlanes().getFirst().port();
    return new ServiceBuilder()
        .withNewMetadata()
          .withName(name(function.name()))
          .withNamespace(config.namespace())
          .addToLabels(Labels.FUNCTION, Names.labelValue(function.name()))
          .addToLabels(Labels.MANAGED_BY, config.owner())
          .addToAnnotations(Labels.INVOKE_PATH_ANNOTATION, "/fn/" + function.name() + "/")
        .endMetadata()
        .withNewSpec()
          .withType("ClusterIP")
          .addNewPort().withName("http").withProtocol("TCP").withPort(MirrorConfig.SERVICE_PORT)
            .withTargetPort(new IntOrString(targetPort)).endPort()
        .endSpec()
        .build();
  }
}
