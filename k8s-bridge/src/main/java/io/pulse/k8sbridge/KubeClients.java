package io.pulse.k8sbridge;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Builds the fabric8 client: from a kubeconfig file when given, else auto-configured (in-cluster service account
 * when run as a pod, else {@code ~/.kube/config}). fabric8's own retries are off: the reconcile loop backs off
 * itself, and a pass should fail fast while the API server is down.
 */
public final class KubeClients {

  private KubeClients() {}

  public static KubernetesClient create(@Nullable Path kubeconfig) {
    Config config;
    if (kubeconfig != null) {
      try {
        config = Config.fromKubeconfig(Files.readString(kubeconfig));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read --kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
      }
    } else {
      config = Config.autoConfigure(null);
    }
    return create(config);
  }

  public static KubernetesClient create(Config config) {
    config.setRequestRetryBackoffLimit(0);
    config.setRequestTimeout(10_000);
    config.setConnectionTimeout(5_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
