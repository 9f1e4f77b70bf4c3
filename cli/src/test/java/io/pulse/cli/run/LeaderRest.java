package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/** The leader's REST API as the kill tests call it, with the API token. */
record LeaderRest(int restPort, String token) {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HttpResponse<String> api(String method, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The ids of the function's instances in state READY. */
  Set<String> readyInstances(String function) throws Exception {
    HttpResponse<String> answer = api("GET", "/v1/functions/" + function + "/instances", "");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    Set<String> ids = new TreeSet<>();
    new JsonObject(answer.body()).getJsonArray("instances").forEach(o -> {
      JsonObject instance = (JsonObject) o;
      if ("READY".equalsIgnoreCase(String.valueOf(instance.getValue("state")))) {
        ids.add(instance.getString("id"));
      }
    });
    return ids;
  }

  /** {@code pulse_controlplane_instance_creations_total{result="success"}} from the control plane's /metrics. */
  long successfulCreations() throws Exception {
    HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    return metrics.body().lines()
        .filter(l -> l.startsWith("pulse_controlplane_instance_creations_total{") && l.contains("result=\"success\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
