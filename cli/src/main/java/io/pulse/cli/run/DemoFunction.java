package io.pulse.cli.run;

import io.pulse.cli.client.ApiClient;
import io.pulse.cli.client.CliException;
import io.pulse.samples.hello.HelloCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The sample function {@code hello}, registered through the REST API like any user's function. */
final class DemoFunction {

  static final String NAME = "hello";

  private DemoFunction() {}

  static JsonObject spec() {
    return new JsonObject()
        .put("name", NAME)
        .put("command", new JsonArray(HelloCommand.argv()))
        .put("resources", new JsonObject().put("cpuMillis", 250).put("memoryMiB", 128))
        .put("scaling", new JsonObject().put("targetConcurrency", 10).put("keepAliveSeconds", 60));
  }

  static void deploy(String apiUrl, String token) {
    ApiClient.Response response = new ApiClient(apiUrl, token, null).json("POST", "/v1/functions",
        spec().encode());
    // 409: registered by an earlier run on the same data dir (the registry is durable); kept as it is.
    if (!response.ok() && response.status() != 409) {
      throw new CliException("could not deploy the demo function: HTTP " + response.status() + " " + response.text());
    }
  }
}
