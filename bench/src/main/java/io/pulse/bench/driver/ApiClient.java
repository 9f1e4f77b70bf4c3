package io.pulse.bench.driver;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The control plane's REST API, blocking (call it from a virtual or other non-event-loop thread). */
public final class ApiClient {

  private final String base;
  private final @Nullable String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ApiClient(String base) {
    this(base, null);
  }

  /** {@code token}: the REST API's bearer token, sent with every request when not null. */
  public ApiClient(String base, @Nullable String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  /** Creates the function (or a new revision); fails naming the function when the API refuses it. */
  public void deploy(JsonObject spec) {
    HttpResponse<String> response = send("POST", "/v1/functions", spec.encode());
    if (response.statusCode() == 409) {
      response = send("PUT", "/v1/functions/" + spec.getString("name"), spec.encode());
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("deploying " + spec.getString("name") + " failed: " + response.statusCode()
          + " " + response.body());
    }
  }

  public void delete(String function) {
    send("DELETE", "/v1/functions/" + function, null);
  }

  public JsonObject get(String path) {
    HttpResponse<String> response = send("GET", path, null);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }

  /**
   * The address of the first worker the leader lists, waiting up to {@code timeout} for one: a worker that just
   * registered (an all-in-one Pulse is ready then) is listed a moment later, once the leader applied its registration.
   */
  public String firstWorkerAddress(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      io.vertx.core.json.JsonArray workers = get("/v1/workers").getJsonArray("workers");
      if (!workers.isEmpty()) {
        return workers.getJsonObject(0).getString("address");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no worker listed by " + base + " within " + timeout);
      }
      try {
        Thread.sleep(50); // polling the REST API: nothing to subscribe to
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a worker", e);
      }
    }
  }

  public String text(String path) {
    return send("GET", path, null).body();
  }

  private HttpResponse<String> send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + base + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + path + " interrupted", e);
    }
  }
}
