package io.pulse.controlplane.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.ControlPlane;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.cluster.ReplicationConfig;
import io.pulse.controlplane.security.ApiSecurity;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica whose key file does not open the secrets on its disk refuses to start, saying why. */
class SecretKeyAtStartTest {

  private static final String TOKEN = "secret-key-at-start-token";

  @TempDir Path dataDir;

  @Test
  void start_withAnotherKeyFile_failsNamingTheSecretAndTheKeys() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ControlPlane first = start(vertx);
      HttpResponse<String> created;
      try (HttpClient client = HttpClient.newHttpClient()) {
        created = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.restPort()
                + "/v1/secrets")).header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"db\",\"value\":\"v4lue\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
      }
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      first.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(Files.readString(dataDir.resolve("secrets.key"))).doesNotContain("v4lue");

      Files.writeString(dataDir.resolve("secrets.key"), Base64.getEncoder().encodeToString(new byte[32]) + "\n");

      ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> start(vertx));
      assertThat(failed.getCause()).hasMessageContaining("secret 'db' was sealed with key")
          .hasMessageContaining("does not hold").hasMessageContaining(dataDir.resolve("secrets.key").toString());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private ControlPlane start(Vertx vertx) throws Exception {
    ControlPlaneConfig config = ControlPlaneConfig.defaults()
        .withRestBind(new HostPort("127.0.0.1", 0))
        .withGrpcBind(new HostPort("127.0.0.1", 0))
        .withSecurity(ApiSecurity.defaults().withToken(TOKEN));
    return ControlPlane.start(vertx, config, ReplicationConfig.single().withDataDir(dataDir), new PrometheusRegistry(),
        new Readiness()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
