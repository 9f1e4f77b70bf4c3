package io.pulse.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.api.GetImageRequest;
import io.pulse.worker.sandbox.containerd.api.StatSnapshotRequest;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pulls images we wrote from a real local registry into a real private containerd. */
class ImagePullerTest {

  private static ContainerdHarness containerd;
  private static RegistryHarness registry;
  private static ContainerdClient client;

  @BeforeAll
  static void start() throws Exception {
    ContainerdHarness.assumeAvailable();
    RegistryHarness.assumeAvailable();
    TestImages.assumeAvailable();
    containerd = ContainerdHarness.start();
    registry = RegistryHarness.start();
    client = ContainerdClient.connect(containerd.socket(), "pulse-image-test", 10_000);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (containerd != null) {
      containerd.close();
    }
  }

  private ImagePuller puller(Set<String> insecure) {
    return new ImagePuller(client, new RegistryClient(insecure, RegistryCredentials.NONE, Duration.ofSeconds(2),
        Duration.ofSeconds(10)), "overlayfs", 60_000);
  }

  @Test
  void ensure_plainHttpRegistry_unpacksAndRecordsTheImage() {
    String image = TestImages.pushHttpd(registry.host(), "pulse/httpd", "v1");

    ImageConfig config = puller(Set.of(registry.host())).ensure(image);

    assertThat(config.cmd()).containsExactly("/bin/sh", "-c", "exec httpd -f -p $PORT -h /www");
    assertThat(config.workingDir()).isEqualTo("/www");
    assertThat(client.images().get(GetImageRequest.newBuilder().setName(image).build()).getImage().getName())
        .isEqualTo(image);
    assertThat(client.snapshots(null).stat(StatSnapshotRequest.newBuilder().setSnapshotter("overlayfs")
        .setKey(config.chainId()).build()).getInfo().getName()).isEqualTo(config.chainId());
    // A new puller (a restarted worker) finds it locally: same chain, no registry needed.
    ImageConfig again = new ImagePuller(client, new RegistryClient(Set.of(), RegistryCredentials.NONE,
        Duration.ofSeconds(1), Duration.ofSeconds(1)), "overlayfs", 60_000).ensure(image);
    assertThat(again.chainId()).isEqualTo(config.chainId());
  }

  @Test
  void ensure_indexResolvesToLinuxAmd64() {
    String image = TestImages.pushHttpdIndex(registry.host(), "pulse/multi", "v1");

    ImageConfig config = puller(Set.of(registry.host())).ensure(image);

    assertThat(config.cmd()).isNotEmpty();
  }

  @Test
  void ensure_missingImage_isNotFound() {
    assertThatThrownBy(() -> puller(Set.of(registry.host())).ensure(registry.host() + "/pulse/nothing:v1"))
        .isInstanceOf(ImagePullException.class)
        .hasMessageContaining("HTTP 404")
        .satisfies(e -> assertThat(((ImagePullException) e).kind()).isEqualTo(ImagePullException.Kind.NOT_FOUND));
  }

  @Test
  void ensure_unreachableRegistry_failsQuicklyAsUnavailable() {
    assertThatThrownBy(() -> puller(Set.of("127.0.0.1:1")).ensure("127.0.0.1:1/pulse/httpd:v1"))
        .isInstanceOf(ImagePullException.class)
        .hasMessageContaining("unreachable")
        .satisfies(e -> assertThat(((ImagePullException) e).kind()).isEqualTo(ImagePullException.Kind.UNAVAILABLE));
  }

  @Test
  void ensure_badReference_isNotFoundAndNamesTheProblem() {
    assertThatThrownBy(() -> puller(Set.of()).ensure("Not A Reference"))
        .isInstanceOf(ImagePullException.class)
        .hasMessageContaining("bad repository");
  }
}
