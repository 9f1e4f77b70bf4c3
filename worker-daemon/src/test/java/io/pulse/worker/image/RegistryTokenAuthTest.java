package io.pulse.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import io.pulse.worker.testing.TokenServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from a real docker-registry with bearer-token auth ({@code auth: token:}) into a real private containerd: the
 * registry challenges with {@code WWW-Authenticate: Bearer realm=..}, our {@link RegistryClient} fetches a token from
 * the realm with the configured login, and the registry verifies the token's RS256 signature against its
 * {@code rootcertbundle}. The token service is {@link TokenServer}, on 127.0.0.1.
 */
@Timeout(120)
class RegistryTokenAuthTest {

  private static final String USER = "puller";
  private static final String PASSWORD = "t0ken-pw";
  private static final String SERVICE = "pulse-test-registry";
  private static final String ISSUER = "pulse-test-token-issuer";
  private static final String REPOSITORY = "private/token-httpd";

  @TempDir static Path dir;
  private static TokenServer tokens;
  private static ContainerdHarness containerd;
  private static RegistryHarness registry;
  private static ContainerdClient client;

  @BeforeAll
  static void start() throws Exception {
    ContainerdHarness.assumeAvailable();
    RegistryHarness.assumeAvailable();
    TestImages.assumeAvailable();
    tokens = TokenServer.start(dir, USER, PASSWORD, ISSUER);
    containerd = ContainerdHarness.start();
    registry = RegistryHarness.startWithTokenAuth(tokens, SERVICE, ISSUER);
    client = ContainerdClient.connect(containerd.socket(), "pulse-token-test", 10_000);
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
    if (tokens != null) {
      tokens.close();
    }
  }

  @AfterEach
  void kidAgain() {
    tokens.keyHint(TokenServer.KeyHint.KID);
  }

  /** Pushes the test image under {@code tag} with a token the test mints itself (push needs push and pull). */
  private static String push(String tag) {
    String token = tokens.mint("pusher", SERVICE, REPOSITORY, List.of("pull", "push"));
    return TestImages.pushHttpd(registry.host(), REPOSITORY, tag, "Bearer " + token);
  }

  private ImagePuller puller(RegistryCredentials credentials) {
    return new ImagePuller(client, new RegistryClient(Set.of(registry.host()), credentials, Duration.ofSeconds(2),
        Duration.ofSeconds(10)), "overlayfs", 60_000);
  }

  private static RegistryCredentials login(String password) {
    return new RegistryCredentials(Map.of(registry.host(), new RegistryCredentials.Login(USER, password)));
  }

  @Test
  void tokenAuth_rightLogin_pullsThroughTheChallenge_keyNamedByKid() {
    // Each test pulls its own tag: a name containerd holds already would not reach the registry at all.
    String image = push("kid");
    int requests = tokens.requests();
    int refused = tokens.refused();

    ImageConfig config = puller(login(PASSWORD)).ensure(image);

    assertThat(config.cmd()).isNotEmpty();
    assertThat(config.manifestDigest()).startsWith("sha256:");
    assertThat(tokens.requests()).as("token requests of the pull").isGreaterThan(requests);
    assertThat(tokens.refused()).isEqualTo(refused);
  }

  @Test
  void tokenAuth_registryChecksTheSignature() throws Exception {
    String image = push("signed");
    String token = tokens.mint(USER, SERVICE, REPOSITORY, List.of("pull"));
    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI manifest = java.net.URI.create("http://" + registry.host() + "/v2/" + REPOSITORY
        + "/manifests/signed");

    int good = http.send(java.net.http.HttpRequest.newBuilder(manifest).header("Authorization", "Bearer " + token)
        .header("Accept", RegistryClient.OCI_MANIFEST + ", " + RegistryClient.DOCKER_MANIFEST).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    int bad = http.send(java.net.http.HttpRequest.newBuilder(manifest).header("Authorization", "Bearer " + tampered)
        .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();

    assertThat(image).endsWith(":signed");
    assertThat(good).isEqualTo(200);
    assertThat(bad).isEqualTo(401);
  }

  @Test
  void tokenAuth_rightLogin_pulls_keyNamedByX5cCertificate() {
    String image = push("x5c");
    tokens.keyHint(TokenServer.KeyHint.X5C);

    ImageConfig config = puller(login(PASSWORD)).ensure(image);

    assertThat(config.manifestDigest()).startsWith("sha256:");
  }

  @Test
  void tokenAuth_wrongPassword_isUnauthorizedNamingTheUserAndTheTokenService() {
    String image = push("wrong");

    assertThatThrownBy(() -> puller(login("wrong")).ensure(image))
        .isInstanceOfSatisfying(ImagePullException.class,
            e -> assertThat(e.kind()).isEqualTo(ImagePullException.Kind.UNAUTHORIZED))
        .hasMessageContaining("token service " + tokens.realm())
        .hasMessageContaining("refused the login of user 'puller'")
        .hasMessageContaining("HTTP 401");
  }

  @Test
  void tokenAuth_noLogin_isUnauthorizedSayingNoLoginIsConfigured() {
    String image = push("none");

    assertThatThrownBy(() -> puller(RegistryCredentials.NONE).ensure(image))
        .isInstanceOfSatisfying(ImagePullException.class,
            e -> assertThat(e.kind()).isEqualTo(ImagePullException.Kind.UNAUTHORIZED))
        .hasMessageContaining("no login configured for " + registry.host());
  }
}
