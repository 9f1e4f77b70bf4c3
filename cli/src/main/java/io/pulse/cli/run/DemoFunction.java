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
    ApiClient api = new ApiClient(apiUrl, token, null);
    ApiClient.Response response = api.json("POST", "/v1/functions", spec().encode());
    if (response.status() == 409) {
      response = pointAtThisBuild(api); // registered by an earlier run on the same data dir (the registry is durable)
    }
    if (!response.ok()) {
      throw new CliException("could not deploy the demo function: HTTP " + response.status() + " " + response.text());
    }
  }

  /**
   * An earlier run's record names that run's java and jar, which may be gone (another checkout, a rebuild elsewhere):
   * its command becomes this build's, the rest stays as the user left it. The same command is a no-op PUT.
   */
  private static ApiClient.Response pointAtThisBuild(ApiClient api) {
    ApiClient.Response stored = api.json("GET", "/v1/functions/" + NAME, "");
    if (!stored.ok()) {
      return stored;
    }
    JsonObject record = new JsonObject(stored.text());
    record.remove("status"); // read-only, as revision and the times, which PUT ignores
    return api.json("PUT", "/v1/functions/" + NAME, record.put("command", spec().getJsonArray("command")).encode());
  }
}
