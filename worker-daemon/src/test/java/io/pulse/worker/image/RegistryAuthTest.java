package io.pulse.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pulls from a real docker-registry that wants basic auth (htpasswd, bcrypt) into a real private containerd. */
@Timeout(120)
class RegistryAuthTest {

  private static final String USER = "puller";
  private static final String PASSWORD = "s3cret-pw";

  private static ContainerdHarness containerd;
  private static RegistryHarness registry;
  private static ContainerdClient client;
  private static String basic;

  @BeforeAll
  static void start() throws Exception {
    ContainerdHarness.assumeAvailable();
    RegistryHarness.assumeAvailable();
    TestImages.assumeAvailable();
    containerd = ContainerdHarness.start();
    registry = RegistryHarness.startWithBasicAuth(USER, PASSWORD);
    basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    client = ContainerdClient.connect(containerd.socket(), "pulse-auth-test", 10_000);
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

  private ImagePuller puller(RegistryCredentials credentials) {
    return new ImagePuller(client, new RegistryClient(Set.of(registry.host()), credentials, Duration.ofSeconds(2),
        Duration.ofSeconds(10)), "overlayfs", 60_000);
  }

  private static RegistryCredentials login(String password) {
    return new RegistryCredentials(Map.of(registry.host(), new RegistryCredentials.Login(USER, password)));
  }

  @Test
  void basicAuth_rightPassword_pulls() {
    String image = TestImages.pushHttpd(registry.host(), "private/httpd", "right", basic);

    ImageConfig config = puller(login(PASSWORD)).ensure(image);

    assertThat(config.cmd()).isNotEmpty();
    assertThat(config.manifestDigest()).startsWith("sha256:");
  }

  @Test
  void basicAuth_wrongPassword_isUnauthorizedNamingTheUser() {
    // Each test pulls its own tag: a name containerd holds already would not reach the registry at all.
    String image = TestImages.pushHttpd(registry.host(), "private/httpd", "wrong", basic);

    assertThatThrownBy(() -> puller(login("wrong")).ensure(image))
        .isInstanceOfSatisfying(ImagePullException.class,
            e -> assertThat(e.kind()).isEqualTo(ImagePullException.Kind.UNAUTHORIZED))
        .hasMessageContaining("HTTP 401").hasMessageContaining("user 'puller'");
  }

  @Test
  void basicAuth_noLogin_isUnauthorizedSayingSo() {
    String image = TestImages.pushHttpd(registry.host(), "private/httpd", "none", basic);

    assertThatThrownBy(() -> puller(RegistryCredentials.NONE).ensure(image))
        .isInstanceOfSatisfying(ImagePullException.class,
            e -> assertThat(e.kind()).isEqualTo(ImagePullException.Kind.UNAUTHORIZED))
        .hasMessageContaining("registry " + registry.host() + " wants basic auth and no login is configured");
  }
}
