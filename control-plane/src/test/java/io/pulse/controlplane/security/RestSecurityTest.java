package io.pulse.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.http.ListenerOptions;
import io.pulse.common.net.HostPort;
import io.pulse.common.testing.TestPki;
import io.pulse.common.tls.PemTrust;
import io.pulse.controlplane.ControlPlane;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.cluster.ReplicationConfig;
import io.pulse.controlplane.registry.FunctionRecord;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API of a real control plane, over real sockets: the bearer token (401 and nothing changed without it, 2xx
 * with it), the audit log, HTTPS, and the listener's limits.
 */
class RestSecurityTest {

  private static final String TOKEN = "s3cret-token-for-this-test-only";

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private @Nullable ControlPlane controlPlane;

  @AfterEach
  void tearDown() throws Exception {
    if (controlPlane != null) {
      controlPlane.close().await(20, TimeUnit.SECONDS);
    }
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private String start(ApiSecurity security) {
    ControlPlaneConfig config = ControlPlaneConfig.defaults().withRestBind(new HostPort("127.0.0.1", 0))
        .withGrpcBind(new HostPort("127.0.0.1", 0)).withSecurity(security);
    controlPlane = ControlPlane.start(vertx, config, new PrometheusRegistry(), new Readiness()).await();
    return security.rest().scheme() + "://127.0.0.1:" + controlPlane.restPort();
  }

  @Test
  void withoutTheToken_everyRequestIs401AndNothingChanges_withItEverythingWorks() throws Exception {
    Path audit = dir.resolve("audit").resolve("audit.jsonl");
    String base = start(ApiSecurity.defaults().withToken(TOKEN).withAuditLog(audit));
    String kept = spec("kept", "1");
    assertThat(send(base, "POST", "/v1/functions", kept, TOKEN).statusCode()).isEqualTo(201);
    Map<String, FunctionRecord> before = controlPlane.registry().snapshot();

    for (String presented : new String[] {null, "wrong-token-of-some-length", ""}) {
      List<HttpResponse<String>> refused = List.of(
          send(base, "POST", "/v1/functions", spec("intruder", "1"), presented),
          send(base, "PUT", "/v1/functions/kept", spec("kept", "2"), presented),
          send(base, "DELETE", "/v1/functions/kept", "", presented),
          send(base, "GET", "/v1/functions", "", presented),
          send(base, "GET", "/v1/functions/kept", "", presented),
          send(base, "GET", "/v1/workers", "", presented));
      for (HttpResponse<String> response : refused) {
        assertThat(response.statusCode()).as("%s with token '%s'", response.request(), presented).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
            v -> assertThat(v).startsWith("Bearer"));
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertThat(error.getInteger("status")).isEqualTo(401);
        assertThat(response.body()).doesNotContain("kept\",\"revision");
      }
    }
    assertThat(controlPlane.registry().snapshot()).as("nothing changed").isEqualTo(before);

    // Open without a token: the API description and the admin endpoints.
    assertThat(send(base, "GET", "/v1/openapi.yaml", "", null).statusCode()).isEqualTo(200);
    assertThat(send(base, "GET", "/healthz", "", null).statusCode()).isEqualTo(200);
    assertThat(send(base, "GET", "/metrics", "", null).statusCode()).isEqualTo(200);

    // With the token: create, update, list, get, delete.
    assertThat(send(base, "POST", "/v1/functions", spec("second", "1"), TOKEN).statusCode()).isEqualTo(201);
    HttpResponse<String> updated = send(base, "PUT", "/v1/functions/kept", spec("kept", "2"), TOKEN);
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(updated.body()).getLong("revision")).isEqualTo(2);
    HttpResponse<String> listed = send(base, "GET", "/v1/functions", "", TOKEN);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(listed.body()).getJsonArray("functions")).hasSize(2);
    assertThat(send(base, "DELETE", "/v1/functions/second", "", TOKEN).statusCode()).isEqualTo(200);
    assertThat(send(base, "GET", "/v1/functions/second", "", TOKEN).statusCode()).isEqualTo(404);
    assertThat(send(base, "GET", "/v1/functions", "", "bearer " + TOKEN, true).statusCode())
        .as("the scheme is case-insensitive").isEqualTo(200);

    // The audit log: one line per attempted change (1 + 3 x 3 refused + 3), no token in it.
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(audit)
        && Files.readAllLines(audit).size() >= 13);
    List<JsonObject> lines = Files.readAllLines(audit).stream().map(JsonObject::new).toList();
    assertThat(lines).hasSize(13);
    assertThat(Files.readString(audit)).doesNotContain(TOKEN).doesNotContain("wrong-token-of-some-length");
    JsonObject first = lines.getFirst();
    assertThat(first.getString("action")).isEqualTo("create");
    assertThat(first.getString("function")).isEqualTo("kept");
    assertThat(first.getLong("revision")).isEqualTo(1);
    assertThat(first.getInteger("status")).isEqualTo(201);
    assertThat(first.getString("remote")).isEqualTo("127.0.0.1");
    assertThat(first.getString("token")).isEqualTo(ApiTokens.fingerprint(TOKEN)).hasSize(8);
    assertThat(first.getString("time")).isNotBlank();
    JsonObject refusedDelete = lines.get(3);
    assertThat(refusedDelete.getString("action")).isEqualTo("delete");
    assertThat(refusedDelete.getString("function")).isEqualTo("kept");
    assertThat(refusedDelete.getInteger("status")).isEqualTo(401);
    assertThat(refusedDelete.getString("token")).isEqualTo("none");
    assertThat(lines.get(4).getString("token")).isEqualTo(ApiTokens.fingerprint("wrong-token-of-some-length"));
    assertThat(lines.subList(10, 13)).extracting(l -> l.getString("action") + " " + l.getString("function") + " "
        + l.getLong("revision") + " " + l.getInteger("status"))
        .containsExactly("create second 1 201", "update kept 2 200", "delete second 1 200");
    if (!System.getProperty("os.name").startsWith("Windows")) {
      assertThat(Files.getPosixFilePermissions(audit)).extracting(Object::toString)
          .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }
  }

  @Test
  void tokenFile_absent_isGeneratedOwnerOnly_andItsTokenOpensTheApi() throws Exception {
    Path file = dir.resolve("secrets").resolve("api-token");
    String base = start(ApiSecurity.defaults().withTokenFile(file));
    assertThat(file).exists();
    assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    assertThat(Files.getPosixFilePermissions(file.getParent())).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
    String token = Files.readAllLines(file).getFirst();
    assertThat(send(base, "GET", "/v1/functions", "", token).statusCode()).isEqualTo(200);
    assertThat(send(base, "GET", "/v1/functions", "", null).statusCode()).isEqualTo(401);
  }

  @Test
  void noTokenOrFileGiven_theReplicaKeepsOneInItsDataDir_andReadsItBackAfterARestart() throws Exception {
    Path dataDir = dir.resolve("cp-data");
    ControlPlaneConfig config = ControlPlaneConfig.defaults().withRestBind(new HostPort("127.0.0.1", 0))
        .withGrpcBind(new HostPort("127.0.0.1", 0));
    ReplicationConfig replication = ReplicationConfig.single().withDataDir(dataDir);
    controlPlane = ControlPlane.start(vertx, config, replication, new PrometheusRegistry(), new Readiness()).await();
    Path file = dataDir.resolve("api-token");
    assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    String token = Files.readAllLines(file).getFirst();
    String base = "http://127.0.0.1:" + controlPlane.restPort();
    assertThat(send(base, "POST", "/v1/functions", spec("durable", "1"), null).statusCode()).isEqualTo(401);
    assertThat(send(base, "POST", "/v1/functions", spec("durable", "1"), token).statusCode()).isEqualTo(201);
    controlPlane.close().await(20, TimeUnit.SECONDS);

    controlPlane = ControlPlane.start(vertx, config, replication, new PrometheusRegistry(), new Readiness()).await();
    assertThat(Files.readAllLines(file).getFirst()).as("the same token after a restart").isEqualTo(token);
    HttpResponse<String> kept = send("http://127.0.0.1:" + controlPlane.restPort(), "GET", "/v1/functions/durable",
        "", token);
    assertThat(kept.statusCode()).as("the registry (RocksDB, same directory) survived").isEqualTo(200);
  }

  @Test
  void https_servesTheApiWithTheGivenCertificate_andRefusesPlainHttp() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    String base = start(ApiSecurity.defaults().withToken(TOKEN)
        .withRest(ListenerOptions.plain(60).withTls(pki.issue("rest"))));
    assertThat(base).startsWith("https://");
    try (HttpClient tls = HttpClient.newBuilder().sslContext(PemTrust.sslContext(pki.caCert()))
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> response = tls.send(request(base + "/v1/functions", "GET", "", TOKEN).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(tls.send(request(base + "/v1/functions", "GET", "", null).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }
    String plain = base.replace("https://", "http://");
    assertThatThrownBy(() -> send(plain, "GET", "/v1/functions", "", TOKEN)).isInstanceOf(IOException.class);
  }

  @Test
  void limits_oversizedHeadersAre431_bodiesOverTheLimit413_silentConnectionsClosed() throws Exception {
    String base = start(ApiSecurity.defaults().withToken(TOKEN)
        .withRest(ListenerOptions.plain(1).withMaxHeaderBytes(4096)));
    HttpResponse<String> big = http.send(request(base + "/v1/functions", "GET", "", TOKEN)
        .header("X-Padding", "x".repeat(6000)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(431);
    assertThat(send(base, "GET", "/v1/functions", "", TOKEN).statusCode()).isEqualTo(200);
    HttpResponse<String> huge = send(base, "POST", "/v1/functions",
        "{\"name\":\"" + "x".repeat(2 << 20) + "\"}", TOKEN);
    assertThat(huge.statusCode()).isEqualTo(413);

    // A client that connects and says nothing is cut after the idle timeout (1 s here).
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      out.write("GET /v1/functions HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)); // never ends
      out.flush();
      assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
    }
  }

  private static String spec(String name, String sleep) {
    return new JsonObject().put("name", name).put("command", new JsonArray().add("sleep").add(sleep)).encode();
  }

  private HttpResponse<String> send(String base, String method, String path, String body, @Nullable String token)
      throws IOException, InterruptedException {
    return send(base, method, path, body, token == null ? null : "Bearer " + token, true);
  }

  private HttpResponse<String> send(String base, String method, String path, String body,
      @Nullable String authorization, boolean raw) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String url, String method, String body, @Nullable String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }
}
