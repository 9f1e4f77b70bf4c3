package io.pulse.cli.run;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP against a running Pulse, as a user's client would talk to it. */
final class PulseTestClient {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String api;
  private final String gateway;
  private final String token;

  /** {@code token}: the REST API's bearer token, sent with every API request (never to the gateway). */
  PulseTestClient(String api, String gateway, String token) {
    this.api = api;
    this.gateway = gateway;
    this.token = token;
  }

  /** A client of an all-in-one Pulse, with its token. */
  PulseTestClient(AllInOne pulse) {
    this(pulse.apiUrl(), pulse.gatewayUrl(), pulse.apiToken());
  }

  HttpResponse<String> deploy(JsonObject spec) {
    return send(HttpRequest.newBuilder(URI.create(api + "/v1/functions"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(spec.encode())));
  }

  HttpResponse<String> api(String method, String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(api + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> invoke(String function, String pathAndQuery, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + "/fn/" + function + pathAndQuery))
        .timeout(Duration.ofSeconds(60));
    request = body.isEmpty() ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
    return send(request);
  }

  /** Instances of the function that have not ended (the listing keeps ended Emergency Instances a while). */
  int instanceCount(String function) {
    return (int) liveInstances(function).count();
  }

  /** Regular Instances of the function that have not ended. */
  int regularInstanceCount(String function) {
    return (int) liveInstances(function).filter(i -> "regular".equals(i.getString("kind"))).count();
  }

  private java.util.stream.Stream<JsonObject> liveInstances(String function) {
    HttpResponse<String> response = api("GET", "/v1/functions/" + function + "/instances", "");
    return new JsonObject(response.body()).getJsonArray("instances").stream()
        .map(JsonObject.class::cast)
        .filter(i -> !"ended".equals(i.getString("state")));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
