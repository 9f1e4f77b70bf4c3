package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.samples.hello.HelloCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The all-in-one keeps its functions in its data dir: a restart on the same directory finds them, with their
 * revisions, and recreates their instances on demand; two all-in-ones with their own directories do not meet.
 */
class AllInOneRestartTest {

  @TempDir Path dataDir;

  private static AllInOne start(Path dataDir) {
    return AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dataDir, "fn.localhost"),
        Duration.ofSeconds(30));
  }

  private static JsonObject hello(String name) {
    return new JsonObject().put("name", name).put("command", new JsonArray(HelloCommand.argv()));
  }

  @Test
  void restart_onTheSameDataDir_keepsEveryFunctionWithItsRevision() {
    JsonObject stored;
    try (AllInOne first = start(dataDir)) {
      PulseTestClient client = new PulseTestClient(first);
      assertThat(client.deploy(hello("kept")).statusCode()).isEqualTo(201);
      HttpResponse<String> updated = client.api("PUT", "/v1/functions/kept",
          hello("kept").put("env", new JsonObject().put("MODE", "second")).encode());
      assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
      stored = new JsonObject(updated.body());
      assertThat(stored.getLong("revision")).isEqualTo(2);
      assertThat(client.invoke("kept", "/", "before").statusCode()).isEqualTo(200);
    }

    try (AllInOne second = start(dataDir)) {
      PulseTestClient client = new PulseTestClient(second);
      HttpResponse<String> fetched = client.api("GET", "/v1/functions/kept", "");
      assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
      JsonObject record = new JsonObject(fetched.body());
      record.remove("status");
      assertThat(record).as("the record as the first run stored it").isEqualTo(stored);

      HttpResponse<String> answer = client.invoke("kept", "/", "after");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("after");
    }
  }

  @Test
  void demoFunction_registeredByAnotherCheckout_getsThisBuildsCommand_andKeepsTheRest() {
    try (AllInOne pulse = start(dataDir)) {
      PulseTestClient client = new PulseTestClient(pulse);
      JsonObject stale = DemoFunction.spec().put("command", new JsonArray(java.util.List.of("java", "-cp",
          "/gone/checkout/pulse-hello.jar", "io.pulse.samples.hello.Hello")));
      stale.getJsonObject("scaling").put("targetConcurrency", 3); // the user's own change
      assertThat(client.deploy(stale).statusCode()).isEqualTo(201);

      DemoFunction.deploy(pulse.apiUrl(), pulse.apiToken());

      JsonObject record = new JsonObject(client.api("GET", "/v1/functions/hello", "").body());
      assertThat(record.getJsonArray("command")).isEqualTo(new JsonArray(HelloCommand.argv()));
      assertThat(record.getJsonObject("scaling").getInteger("targetConcurrency")).isEqualTo(3);
      assertThat(record.getLong("revision")).isEqualTo(2);
      assertThat(client.invoke("hello", "/", "works").body()).isEqualTo("works");

      DemoFunction.deploy(pulse.apiUrl(), pulse.apiToken()); // the same build again: nothing to change
      assertThat(new JsonObject(client.api("GET", "/v1/functions/hello", "").body()).getLong("revision"))
          .isEqualTo(2);
    }
  }

  @Test
  void twoAllInOnes_withTheirOwnDataDirs_keepTheirOwnFunctions(@TempDir Path otherDir) {
    try (AllInOne one = start(dataDir); AllInOne other = start(otherDir)) {
      PulseTestClient oneClient = new PulseTestClient(one);
      PulseTestClient otherClient = new PulseTestClient(other);

      assertThat(oneClient.deploy(hello("only-here")).statusCode()).isEqualTo(201);

      assertThat(otherClient.api("GET", "/v1/functions/only-here", "").statusCode()).isEqualTo(404);
      assertThat(otherClient.deploy(hello("only-there")).statusCode()).isEqualTo(201);
      assertThat(oneClient.api("GET", "/v1/functions/only-there", "").statusCode()).isEqualTo(404);
      assertThat(oneClient.invoke("only-here", "/", "one").body()).isEqualTo("one");
      assertThat(otherClient.invoke("only-there", "/", "other").body()).isEqualTo("other");
    }
  }

  @Test
  void aSecondAllInOne_onADataDirInUse_failsToStart_andLeavesTheFirstServing() {
    try (AllInOne first = start(dataDir)) {
      assertThatThrownBy(() -> start(dataDir).close())
          .hasMessageContaining(AllInOne.registryDir(dataDir).toString());

      PulseTestClient client = new PulseTestClient(first);
      assertThat(client.deploy(hello("still")).statusCode()).isEqualTo(201);
    }
  }
}
