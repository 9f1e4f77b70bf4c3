package io.pulse.cli.client;

import static io.pulse.cli.PulseCommandAccess.run;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pulse.cli.PulseCommandAccess.Result;
import io.pulse.cli.run.AllInOne;
import io.pulse.common.log.LogfmtLayout;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets end to end on the process runtime: {@code pulse secret create|list|delete}, a function that serves its
 * secret file and its secret env through the gateway, and the values absent from every API answer, the metrics, the
 * captured logs, the audit log and the control plane's disk.
 */
class SecretCommandsTest {

  @TempDir Path dir;

  @Test
  void secretReachesTheFunction_andNoAnswerLogOrAuditLineCarriesIt() throws Exception {
    String value = "db-pa55-" + System.nanoTime();
    String envValue = "api-k3y-" + System.nanoTime();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    Path audit = dir.resolve("audit.jsonl");
    // A port block of its own (see FailingFunctionsTest): 22000..22999.
    int ports = 22_000 + 100 * ThreadLocalRandom.current().nextInt(10);
    AllInOne.Tuning tuning = AllInOne.Tuning.NONE
        .withControlPlane(c -> c.withSecurity(c.security().withAuditLog(audit)))
        .withWorker(w -> w.withPortRange(ports, ports + 99));
    List<String> answers = new ArrayList<>();
    try (AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dir.resolve("data"),
        "fn.localhost"), Duration.ofSeconds(30), tuning)) {
      String api = "--api=" + pulse.apiUrl();
      String token = "--token=" + pulse.apiToken();
      Path valueFile = dir.resolve("value");
      Files.writeString(valueFile, value);
      Path envFile = dir.resolve("env-value");
      Files.writeString(envFile, envValue);

      Result created = run("secret", "create", "db-password", "--from-file=" + valueFile, api, token);
      assertThat(created.code()).as(created.err()).isZero();
      assertThat(new JsonObject(created.out()).getLong("revision")).isEqualTo(1);
      assertThat(run("secret", "create", "api-key", "--from-file=" + envFile, api, token).code()).isZero();
      Result listed = run("secret", "list", api, token);
      assertThat(listed.out()).contains("db-password").contains("api-key");
      answers.add(created.out() + listed.out() + listed.err());

      JsonObject spec = new JsonObject().put("name", "sec")
          .put("command", new JsonArray().add("sh").add("-c").add("mkdir www && cp \"$PULSE_SECRETS_DIR/db-password\""
              + " www/file && printf %s \"$API_KEY\" > www/env && cd www"
              + " && exec python3 -m http.server ${PORT} --bind 127.0.0.1"))
          .put("secrets", new JsonArray().add("db-password")
              .add(new JsonObject().put("name", "api-key").put("env", "API_KEY")));
      HttpResponse<String> deployed = send(pulse, "POST", pulse.apiUrl() + "/v1/functions", spec.encode());
      assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
      answers.add(deployed.body());

      HttpResponse<String> file = send(pulse, "GET", pulse.gatewayUrl() + "/fn/sec/file", "");
      assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
      assertThat(file.body()).isEqualTo(value);
      assertThat(send(pulse, "GET", pulse.gatewayUrl() + "/fn/sec/env", "").body()).isEqualTo(envValue);

      Result inUse = run("secret", "delete", "db-password", api, token);
      assertThat(inUse.code()).isEqualTo(1);
      assertThat(inUse.err()).contains("HTTP 409").contains("used by function sec");
      answers.add(inUse.out() + inUse.err());
      for (String path : List.of("/v1/functions/sec", "/v1/functions", "/v1/secrets", "/v1/secrets/db-password",
          "/v1/functions/sec/instances", "/metrics")) {
        answers.add(send(pulse, "GET", pulse.apiUrl() + path, "").body());
      }
      answers.add(send(pulse, "GET", pulse.gatewayUrl() + "/metrics", "").body());

      assertThat(send(pulse, "DELETE", pulse.apiUrl() + "/v1/functions/sec", "").statusCode()).isEqualTo(200);
      Result deleted = run("secret", "delete", "db-password", api, token);
      assertThat(deleted.code()).as(deleted.err()).isZero();
      answers.add(deleted.out());
    } finally {
      root.detachAppender(logs);
    }

    assertThat(answers).noneMatch(text -> text.contains(value) || text.contains(envValue));
    LogfmtLayout layout = new LogfmtLayout();
    List<String> lines = logs.list.stream().map(layout::doLayout).toList();
    assertThat(lines).as("captured log lines").isNotEmpty()
        .noneMatch(line -> line.contains(value) || line.contains(envValue));
    String auditLines = Files.readString(audit);
    assertThat(auditLines).contains("/v1/secrets").doesNotContain(value).doesNotContain(envValue);
    try (Stream<Path> files = Files.walk(dir.resolve("data").resolve("control-plane"))) {
      for (Path stored : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(stored), StandardCharsets.ISO_8859_1);
        assertThat(bytes).as(stored.toString()).doesNotContain(value).doesNotContain(envValue);
      }
    }
  }

  private static HttpResponse<String> send(AllInOne pulse, String method, String url, String body)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + pulse.apiToken())
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }
}
