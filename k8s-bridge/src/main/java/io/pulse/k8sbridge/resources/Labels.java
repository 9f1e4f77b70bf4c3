package io.pulse.k8sbridge.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** The labels and annotations the bridge writes, and the ownership test. */
public final class Labels {

  /** Ownership marker: its value is the bridge's id. Objects without it are never touched. */
  public static final String MANAGED_BY = "pulse.io/managed-by";
  public static final String FUNCTION = "pulse.io/function";
  public static final String REVISION = "pulse.io/revision";
  public static final String WORKER = "pulse.io/worker";
  public static final String INSTANCE = "pulse.io/instance";
  public static final String RUNTIME = "pulse.io/runtime";
  public static final String HOSTNAME = "kubernetes.io/hostname";
  public static final String ZONE = "topology.kubernetes.io/zone";
  public static final String REGION = "topology.kubernetes.io/region";
  public static final String SERVICE_NAME = "kubernetes.io/service-name";
  public static final String SLICE_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";

  /** Annotations: the raw ids (labels must be sanitized), the instance endpoint, how to invoke a function. */
  public static final String INSTANCE_ID_ANNOTATION = "pulse.io/instance-id";
  public static final String WORKER_ID_ANNOTATION = "pulse.io/worker-id";
  public static final String ENDPOINT_ANNOTATION = "pulse.io/endpoint";
  public static final String INVOKE_PATH_ANNOTATION = "pulse.io/invoke-path";

  /** The taint on every Pulse node, so that ordinary pods do not land there; our pods tolerate it. */
  public static final String TAINT_KEY = "pulse.io/worker";

  private Labels() {}

  /** Whether {@code object} carries the ownership marker of bridge {@code owner}. */
  public static boolean ownedBy(HasMetadata object, String owner) {
    Map<String, String> labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
    return labels != null && owner.equals(labels.get(MANAGED_BY));
  }
}
