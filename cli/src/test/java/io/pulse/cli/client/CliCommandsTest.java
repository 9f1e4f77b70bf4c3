package io.pulse.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.cli.PulseCommandAccess;
import io.pulse.cli.run.AllInOne;
import io.pulse.samples.hello.HelloCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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

  record Result(int code, String out, String err) {}

  /** Runs the command line as `pulse ARGS` would, capturing its exit code, stdout and stderr. */
  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    CommandLine cli = PulseCommandAccess.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void deployListGetInvokeDelete_roundTrip() throws Exception {
    Path spec = dir.resolve("echo.json");
    Files.writeString(spec, new JsonObject().put("name", "echo").put("command", new JsonArray(HelloCommand.argv()))
        .encode());
    String api = "--api=" + pulse.apiUrl();

    Result deployed = run("fn", "deploy", "-f", spec.toString(), api);
    assertThat(deployed.code()).as(deployed.err()).isZero();
    assertThat(new JsonObject(deployed.out()).getLong("revision")).isEqualTo(1);

    Result redeployed = run("fn", "deploy", "-f", spec.toString(), api);
    assertThat(new JsonObject(redeployed.out()).getLong("revision")).as("deploy of an existing name updates it")
        .isEqualTo(2);

    assertThat(run("fn", "list", api).out()).contains("NAME").contains("echo");
    assertThat(new JsonObject(run("fn", "get", "echo", api).out()).getString("name")).isEqualTo("echo");

    Result invoked = run("invoke", "echo", "-d", "ping", "--gateway=" + pulse.gatewayUrl());
    assertThat(invoked.code()).as(invoked.err()).isZero();
    assertThat(invoked.out()).isEqualTo("ping");

    assertThat(run("fn", "delete", "echo", api).code()).isZero();
    Result missing = run("fn", "get", "echo", api);
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("HTTP 404").contains("echo");
  }

  @Test
  void badSpec_printsTheServersMessageNamingTheField() throws Exception {
    Path spec = dir.resolve("bad.json");
    Files.writeString(spec, "{\"name\":\"bad\",\"command\":[\"x\"],\"scaling\":{\"targetConcurrency\":0}}");

    Result result = run("fn", "deploy", "-f", spec.toString(), "--api=" + pulse.apiUrl());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("HTTP 400").contains("scaling.targetConcurrency");
  }

  @Test
  void unreachableApi_saysSoInOneLine() {
    Result result = run("fn", "list", "--api=http://127.0.0.1:1");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("cannot reach").doesNotContain("Exception");
  }
}
