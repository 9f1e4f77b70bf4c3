package io.pulse.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A follower's "ask the leader" answer to a read: the client asks the leader it names, once. */
class ApiClientTest {

  private final List<String> leaderSaw = new CopyOnWriteArrayList<>();
  private final List<String> followerSaw = new CopyOnWriteArrayList<>();
  private HttpServer leader;
  private HttpServer follower;

  @BeforeEach
  void start() throws IOException {
    leader = server(exchange -> {
      leaderSaw.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
          + exchange.getRequestHeaders().getFirst("Authorization"));
      answer(exchange, 200, null, "line 1\nline 2\n");
    });
    String leaderUrl = "http://127.0.0.1:" + leader.getAddress().getPort();
    follower = server(exchange -> {
      followerSaw.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      answer(exchange, 503, leaderUrl, "{\"error\":{\"status\":503,\"message\":\"read through the leader\"}}");
    });
  }

  @AfterEach
  void stop() {
    leader.stop(0);
    follower.stop(0);
  }

  @Test
  void aReadRefusedByAFollower_isAskedOfTheLeaderItNames_withItsQueryAndToken() {
    ApiClient client = new ApiClient(followerUrl(), "secret-token", null);

    ApiClient.Response response = client.send("GET", "/v1/functions/web/logs?tail=5&since=a%20b", new byte[0],
        "", Duration.ofSeconds(5));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("line 1\nline 2\n");
    assertThat(followerSaw).containsExactly("GET /v1/functions/web/logs?tail=5&since=a%20b");
    assertThat(leaderSaw).containsExactly("GET /v1/functions/web/logs?tail=5&since=a%20b Bearer secret-token");
  }

  @Test
  void aFollowedStream_isAskedOfTheLeader() {
    ApiClient client = new ApiClient(followerUrl(), "secret-token", null);
    List<String> lines = new ArrayList<>();

    ApiClient.Response response = client.getLines("/v1/functions/web/logs?follow=true", lines::add);

    assertThat(response.status()).isEqualTo(200);
    assertThat(lines).containsExactly("line 1", "line 2");
    assertThat(leaderSaw).hasSize(1);
  }

  @Test
  void aWrite_isNotSentAgain_theFollowerForwardsWritesItself() {
    ApiClient client = new ApiClient(followerUrl(), "secret-token", null);

    ApiClient.Response response = client.json("POST", "/v1/functions", "{}");

    assertThat(response.status()).isEqualTo(503);
    assertThat(leaderSaw).isEmpty();
  }

  @Test
  void aRefusalNamingTheReplicaAsked_isReturnedAsItIs() throws IOException {
    HttpServer self = server(exchange -> answer(exchange, 503,
        "http://127.0.0.1:" + exchange.getLocalAddress().getPort(), "{}"));
    try {
      ApiClient client = new ApiClient("http://127.0.0.1:" + self.getAddress().getPort(), null, null);

      assertThat(client.send("GET", "/v1/cluster", new byte[0], "", Duration.ofSeconds(5)).status()).isEqualTo(503);
    } finally {
      self.stop(0);
    }
  }

  private String followerUrl() {
    return "http://127.0.0.1:" + follower.getAddress().getPort();
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private static HttpServer server(Handler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        handler.handle(exchange);
      }
    });
    server.start();
    return server;
  }

  private static void answer(HttpExchange exchange, int status, String pulseLeader, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (pulseLeader != null) {
      exchange.getResponseHeaders().add("Pulse-Leader", pulseLeader);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
