package io.pulse.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.cli.PulseCommandAccess;
import io.pulse.cli.PulseCommandAccess.Result;
import io.pulse.cli.run.AllInOne;
import io.pulse.samples.hello.HelloCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The function CLI ({@code pulse fn ...}, {@code pulse invoke}) against a real all-in-one Pulse. */
class CliCommandsTest {

  @TempDir static Path dir;
  static AllInOne pulse;

  @BeforeAll
  static void start() {
    pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dir.resolve("data"),
        "fn.localhost"), Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (pulse != null) {
      pulse.close();
    }
  }

  private static Result run(String... args) {
    return PulseCommandAccess.run(args);
  }

  @Test
  void deployListGetInvokeDelete_roundTrip() throws Exception {
    Path spec = dir.resolve("echo.json");
    Files.writeString(spec, new JsonObject().put("name", "echo").put("command", new JsonArray(HelloCommand.argv()))
        .encode());
    String api = "--api=" + pulse.apiUrl();
    String token = "--token=" + pulse.apiToken();
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, pulse.apiToken() + "\n");

    Result deployed = run("fn", "deploy", "-f", spec.toString(), api, token);
    assertThat(deployed.code()).as(deployed.err()).isZero();
    assertThat(new JsonObject(deployed.out()).getLong("revision")).isEqualTo(1);

    Result unchanged = run("fn", "deploy", "-f", spec.toString(), api, token);
    assertThat(new JsonObject(unchanged.out()).getLong("revision")).as("deploying the same spec changes nothing")
        .isEqualTo(1);
    Files.writeString(spec, new JsonObject().put("name", "echo").put("command", new JsonArray(HelloCommand.argv()))
        .put("env", new JsonObject().put("MODE", "two")).encode());
    Result redeployed = run("fn", "deploy", "-f", spec.toString(), api, "--token-file=" + tokenFile);
    assertThat(new JsonObject(redeployed.out()).getLong("revision")).as("deploy of an existing name updates it")
        .isEqualTo(2);

    assertThat(run("fn", "list", api, token).out()).contains("NAME").contains("echo");
    assertThat(new JsonObject(run("fn", "get", "echo", api, token).out()).getString("name")).isEqualTo("echo");

    Result invoked = run("invoke", "echo", "-d", "ping", "--gateway=" + pulse.gatewayUrl());
    assertThat(invoked.code()).as(invoked.err()).isZero();
    assertThat(invoked.out()).isEqualTo("ping");

    assertThat(run("fn", "delete", "echo", api, token).code()).isZero();
    Result missing = run("fn", "get", "echo", api, token);
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("HTTP 404").contains("echo");
  }

  @Test
  void badSpec_printsTheServersMessageNamingTheField() throws Exception {
    Path spec = dir.resolve("bad.json");
    Files.writeString(spec, "{\"name\":\"bad\",\"command\":[\"x\"],\"scaling\":{\"targetConcurrency\":0}}");

    Result result = run("fn", "deploy", "-f", spec.toString(), "--api=" + pulse.apiUrl(),
        "--token=" + pulse.apiToken());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("HTTP 400").contains("scaling.targetConcurrency");
  }

  @Test
  void wrongOrMissingToken_is401SayingHowToSendOne() {
    Result wrong = run("fn", "list", "--api=" + pulse.apiUrl(), "--token=not-the-right-token-at-all");
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("HTTP 401").contains("invalid bearer token");
    Result missing = run("fn", "list", "--api=" + pulse.apiUrl(), "--token-file=" + dir.resolve("no-such-file"));
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no-such-file");
  }

  @Test
  void clientToken_precedence_flagThenEnvThenFileThenDefault() throws Exception {
    Path file = dir.resolve("precedence-file");
    Path fallback = dir.resolve("precedence-default");
    Files.writeString(file, "from-file\n");
    Files.writeString(fallback, "from-default\n");
    assertThat(ClientToken.resolve("from-flag", "from-env", file, fallback)).isEqualTo("from-flag");
    assertThat(ClientToken.resolve(null, "from-env", file, fallback)).isEqualTo("from-env");
    assertThat(ClientToken.resolve(null, null, file, fallback)).isEqualTo("from-file");
    assertThat(ClientToken.resolve(null, "", null, fallback)).isEqualTo("from-default");
    assertThat(ClientToken.resolve(null, null, null, dir.resolve("absent"))).isNull();
  }

  @Test
  void unreachableApi_saysSoInOneLine() {
    Result result = run("fn", "list", "--api=http://127.0.0.1:1");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("cannot reach").doesNotContain("Exception");
  }

  @Test
  void apiGivenAsHostPort_saysWhatTheOptionTakes() {
    String hostPort = pulse.apiUrl().replaceFirst("^http://", "");
    Result result = run("fn", "list", "--api=" + hostPort);
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err().strip()).isEqualTo("pulse: --api takes the REST API's URL, http(s)://HOST:PORT, got '"
        + hostPort + "' (did you mean http://" + hostPort + "?)");
  }

  @Test
  void apiPointingAtTheGrpcPort_isOneLineNamingThePorts() {
    Result result = run("fn", "list", "--api=http://127.0.0.1:" + pulse.controlPlane().grpcPort());
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err().strip()).doesNotContain("\n").doesNotContain("Exception")
        .contains("does not answer HTTP/1.1").contains("--rest-port");
  }
}
