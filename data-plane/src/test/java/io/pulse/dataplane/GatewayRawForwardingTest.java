package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.dataplane.ScriptedInstance.Framing;
import io.pulse.dataplane.SocketClient.Answer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The byte-level forwarder ({@code --forwarding raw}) on real sockets: a real gateway, a hand-written instance on
 * loopback, and a client writing the bytes it means. What it carries must be accounted and answered as the Vert.x path
 * does; what it does not carry must reach the Vert.x path unchanged.
 */
class GatewayRawForwardingTest {

  private final List<AutoCloseable> open = new ArrayList<>();
  private DataPlaneFixture fx;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  /** A gateway with a function {@code warm} whose instance answers every request (to take a connection's first). */
  private DataPlaneFixture gateway(Forwarding forwarding) throws Exception {
    // One event loop: one raw pool, so reuse is seen on one instance connection.
    DataPlaneFixture started = DataPlaneFixture.start(c -> c.withForwarding(forwarding).withEventLoops(1));
    open.add(started);
    instanceFor(started, "warm", Framing.LENGTH, 16, 30);
    started.awaitReady();
    return started;
  }

  private ScriptedInstance instanceFor(DataPlaneFixture on, String function, Framing framing, int slots,
      int timeoutSeconds) throws Exception {
    ScriptedInstance server = ScriptedInstance.start(framing);
    open.add(server);
    on.controlPlane.upsert(route(function, slots, timeoutSeconds, instance(function + "-1", server.port())));
    on.awaitInstances(function, 1);
    return server;
  }

  /**
   * A client connection past its first request: Vert.x decodes a connection's first request before the forwarder is
   * installed (the h2c upgrade handler builds the connection then), so the forwarder takes the connection after it.
   */
  private SocketClient client(DataPlaneFixture on) throws Exception {
    SocketClient client = new SocketClient(on.dataPlane.httpPort());
    open.add(client);
    assertThat(client.exchange(get("/fn/warm/first")).status()).isEqualTo(200);
    return client;
  }

  private static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
  }

  private static String post(String target, String body) {
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  /** The invocation metric is taken right after the answer is written: the client may read it first. */
  private void awaitInvocations(String function, String code, int count) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(fx.metric("pulse_dataplane_invocations_total", function, code)).isEqualTo(count));
  }

  private double raw() {
    return fx.metric("pulse_dataplane_raw_exchanges_total");
  }

  @Test
  void firstRequestOfAConnection_isVertxs_andTheNextAreCarriedRaw() throws Exception {
    fx = gateway(Forwarding.RAW);
    SocketClient client = new SocketClient(fx.dataPlane.httpPort());
    open.add(client);

    assertThat(client.exchange(get("/fn/warm/1")).body()).isEqualTo("GET /1 ");
    assertThat(raw()).isZero();
    assertThat(client.exchange(get("/fn/warm/2")).body()).isEqualTo("GET /2 ");
    assertThat(raw()).isEqualTo(1);
  }

  @Test
  void getsOnOneConnection_areCarriedRaw_overOneKeptInstanceConnection_andAccountedAsVertxDoes() throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance echo = instanceFor(fx, "echo", Framing.LENGTH, 4, 30);
    SocketClient client = client(fx);

    Answer first = client.exchange(get("/fn/echo/a?x=1"));
    Answer second = client.exchange(get("/fn/echo/b"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("GET /a?x=1 ");
    assertThat(second.body()).isEqualTo("GET /b ");
    assertThat(first.headers()).containsEntry("x-instance", "yes").doesNotContainKey("keep-alive");
    assertThat(raw()).isEqualTo(2);
    assertThat(echo.connections()).as("the kept instance connection carried both").isEqualTo(1);
    ScriptedInstance.Request seen = echo.requests().getFirst();
    assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + echo.port());
    assertThat(seen.header("X-Forwarded-Host")).isEqualTo("127.0.0.1");
    assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(seen.header("Accept")).isEqualTo("*/*");
    awaitInvocations("function=echo", "code=200", 2);
    fx.awaitLoadIdle("echo");
  }

  @Test
  void postWithABody_reachesTheInstanceWhole() throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance echo = instanceFor(fx, "echo", Framing.LENGTH, 4, 30);
    SocketClient client = client(fx);

    Answer answer = client.exchange(post("/fn/echo/upload", "hello, body"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("POST /upload hello, body");
    assertThat(echo.requests().getFirst().header("Content-Length")).isEqualTo("11");
    assertThat(raw()).isEqualTo(1);
    fx.awaitLoadIdle("echo");
  }

  @Test
  void answerWithAPlainHead_reachesTheClientAsItCame_overOneKeptInstanceConnection() throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance plain = instanceFor(fx, "plain", Framing.PLAIN, 4, 30);
    SocketClient client = client(fx);

    for (int i = 0; i < 3; i++) {
      Answer answer = client.exchange(get("/fn/plain/" + i));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers()).containsOnlyKeys("content-length");
      assertThat(answer.body()).isEqualTo("GET /" + i + " ");
    }
    assertThat(raw()).isEqualTo(3);
    assertThat(plain.connections()).isEqualTo(1);
    awaitInvocations("function=plain", "code=200", 3);
    fx.awaitLoadIdle("plain");
  }

  @Test
  void bytesPastTheAnswer_neverReachTheClient_andTheInstanceConnectionIsNotKept() throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance stray = instanceFor(fx, "stray", Framing.STRAY, 4, 30);
    SocketClient client = client(fx);

    Answer first = client.exchange(get("/fn/stray/1"));
    Answer second = client.exchange(get("/fn/stray/2"));

    assertThat(first.body()).isEqualTo("GET /1 ");
    assertThat(second.body()).as("the stray answer was not taken for this one").isEqualTo("GET /2 ");
    assertThat(raw()).isEqualTo(2);
    assertThat(stray.connections()).as("an out-of-step connection is closed, not kept").isEqualTo(2);
    fx.awaitLoadIdle("stray");
  }

  @Test
  void instanceClosingAfterEachAnswer_everyRequestAnswered_andTheClientConnectionStays() throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance closer = instanceFor(fx, "closer", Framing.LENGTH_THEN_CLOSE, 4, 30);
    SocketClient client = client(fx);

    for (int i = 0; i < 5; i++) {
      Answer answer = client.exchange(get("/fn/closer/" + i));
      assertThat(answer.status()).as("request %d", i).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("GET /" + i + " ");
      assertThat(answer.headers()).as("the instance's close is its connection's, not the client's")
          .doesNotContainKey("connection");
    }
    assertThat(raw()).isEqualTo(5);
    assertThat(closer.connections()).isEqualTo(5);
    fx.awaitLoadIdle("closer");
  }

  @Test
  void chunkedAnswer_isRelayedAsChunks_andTheNextRequestOnTheConnectionIsFramedRight() throws Exception {
    fx = gateway(Forwarding.RAW);
    instanceFor(fx, "chunks", Framing.CHUNKED, 4, 30);
    SocketClient client = client(fx);

    Answer first = client.exchange(get("/fn/chunks/one"));
    Answer second = client.exchange(post("/fn/chunks/two", "payload"));

    assertThat(first.headers()).containsEntry("transfer-encoding", "chunked");
    assertThat(first.body()).isEqualTo("GET /one ");
    assertThat(second.body()).isEqualTo("POST /two payload");
    assertThat(raw()).isEqualTo(2);
  }

  @Test
  void answerEndingWithTheClose_reachesTheClientChunked_onAConnectionThatStays() throws Exception {
    fx = gateway(Forwarding.RAW);
    instanceFor(fx, "untilclose", Framing.UNTIL_CLOSE, 4, 30);
    SocketClient client = client(fx);

    Answer first = client.exchange(get("/fn/untilclose/one"));
    Answer second = client.exchange(get("/fn/untilclose/two"));

    assertThat(first.headers()).containsEntry("transfer-encoding", "chunked").containsEntry("content-type",
        "text/plain");
    assertThat(first.body()).isEqualTo("GET /one ");
    assertThat(second.body()).isEqualTo("GET /two ");
  }

  @Test
  void pipelinedRequests_areAnsweredInOrder_eachAfterTheOneBefore() throws Exception {
    fx = gateway(Forwarding.RAW);
    instanceFor(fx, "echo", Framing.LENGTH, 4, 30);
    SocketClient client = client(fx);

    client.send(get("/fn/echo/1") + post("/fn/echo/2", "two") + "HEAD /fn/echo/3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        + get("/fn/echo/4"));

    assertThat(client.read(false).body()).isEqualTo("GET /1 ");
    assertThat(client.read(false).body()).isEqualTo("POST /2 two");
    Answer head = client.read(true);
    assertThat(head.headers()).as("HEAD /3 's length, no body").containsEntry("content-length", "8");
    assertThat(client.read(false).body()).isEqualTo("GET /4 ");
    assertThat(raw()).isEqualTo(4);
  }

  @Test
  void keptConnectionClosedUnderAGet_theGetGoesAgainOnAFreshOne_andTheInstanceGetsConnectionsOfItsOwn()
      throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance closer = instanceFor(fx, "closer", Framing.CLOSE_ON_NEXT, 4, 30);
    SocketClient client = client(fx);

    for (int i = 0; i < 4; i++) {
      Answer answer = client.exchange(get("/fn/closer/" + i));
      assertThat(answer.status()).as("request %d", i).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("GET /" + i + " ");
    }
    // Only the second met the closing connection; from then on each went on a connection of its own.
    assertThat(closer.dropped()).isEqualTo(1);
    assertThat(closer.requests()).hasSize(5);
    assertThat(raw()).isEqualTo(4);
    fx.awaitLoadIdle("closer");
  }

  @Test
  void keptConnectionClosedUnderAPost_isNotSentAgain_andAnswers502AsTheVertxPathDoes() throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance closer = instanceFor(fx, "closer", Framing.CLOSE_ON_NEXT, 4, 30);
    SocketClient client = client(fx);

    assertThat(client.exchange(get("/fn/closer/first")).status()).isEqualTo(200);
    Answer answer = client.exchange(post("/fn/closer/once", "body"));

    assertThat(answer.status()).isEqualTo(502);
    JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
    assertThat(error.getString("message")).startsWith("function 'closer' failed: its instance dropped the exchange");
    assertThat(closer.requests()).as("the GET, and the POST once").hasSize(2);
    assertThat(client.exchange(get("/fn/closer/after")).status()).as("the client's connection goes on")
        .isEqualTo(200);
    awaitInvocations("function=closer", "code=502", 1);
    fx.awaitLoadIdle("closer");
  }

  @Test
  void answerCutShort_cutsTheClientsConnection_andCounts502() throws Exception {
    fx = gateway(Forwarding.RAW);
    instanceFor(fx, "cut", Framing.TRUNCATED, 4, 30);
    SocketClient client = client(fx);

    client.send(get("/fn/cut/x"));

    assertThat(client.readAll()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nabc");
    awaitInvocations("function=cut", "code=502", 1);
    fx.awaitLoadIdle("cut");
  }

  @Test
  void clientLeavingMidExchange_is499_andGivesTheSlotBack() throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance silent = instanceFor(fx, "silent", Framing.SILENT, 1, 30);
    SocketClient client = client(fx);

    client.send(get("/fn/silent/x"));
    await().atMost(Duration.ofSeconds(10)).until(() -> silent.requests().size() == 1);
    client.close();

    awaitInvocations("function=silent", "code=499", 1);
    fx.awaitLoadIdle("silent");
  }

  @Test
  void bodyLargerThanTheRawPathTakes_isHandedOver() throws Exception {
    fx = gateway(Forwarding.RAW);
    instanceFor(fx, "echo", Framing.LENGTH, 4, 30);
    SocketClient client = client(fx);
    String big = "b".repeat(70_000);

    Answer answer = client.exchange(post("/fn/echo/big", big));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("POST /big " + big);
    assertThat(raw()).isZero();
  }

  @Test
  void connectionClose_fromTheClient_isAnsweredThenTheConnectionCloses() throws Exception {
    fx = gateway(Forwarding.RAW);
    instanceFor(fx, "echo", Framing.LENGTH, 4, 30);
    SocketClient client = client(fx);

    Answer answer = client.exchange("GET /fn/echo/bye HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(answer.body()).isEqualTo("GET /bye ");
    assertThat(answer.headers()).containsEntry("connection", "close");
    assertThat(client.closedByPeer()).isTrue();
  }

  @Test
  void requestNotEligible_isHandedOverToVertx_andAnswered_asIsTheRestOfItsConnection() throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance echo = instanceFor(fx, "echo", Framing.LENGTH, 4, 30);
    SocketClient client = client(fx);

    // A chunked request body: RawRequestHead hands it over; Vert.x's path proxies it.
    Answer chunked = client.exchange("POST /fn/echo/c HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        + "Content-Type: text/plain\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    Answer after = client.exchange(get("/fn/echo/after"));

    assertThat(chunked.status()).isEqualTo(200);
    assertThat(chunked.body()).isEqualTo("POST /c hello");
    assertThat(echo.requests().getFirst().header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(after.body()).isEqualTo("GET /after ");
    assertThat(raw()).as("the chunked one went the Vert.x way; after its answer, the connection came back")
        .isEqualTo(1);
    awaitInvocations("function=echo", "code=200", 2);
  }

  @Test
  void unknownFunction_isHandedOver_andGetsVertxs404() throws Exception {
    fx = gateway(Forwarding.RAW);
    SocketClient client = client(fx);

    Answer answer = client.exchange(get("/fn/nobody/x"));

    assertThat(answer.status()).isEqualTo(404);
    assertThat(new JsonObject(answer.body()).getJsonObject("error").getString("message")).contains("nobody");
    assertThat(raw()).isZero();
  }

  @Test
  void noFreeRegularSlot_isHandedOver_waitsInVertxsQueue_andIsAnswered() throws Exception {
    fx = gateway(Forwarding.RAW);
    ScriptedInstance held = instanceFor(fx, "held", Framing.HELD, 1, 30);
    SocketClient first = client(fx);
    SocketClient second = client(fx);

    first.send(get("/fn/held/1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.requests().size() == 1);
    second.send(get("/fn/held/2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> fx.dataPlane.loadCounts("held").queued() == 1);
    held.release();

    assertThat(first.read(false).body()).isEqualTo("GET /1 ");
    assertThat(second.read(false).body()).isEqualTo("GET /2 ");
    assertThat(raw()).as("the first took the free slot raw; the second found none and went to the queue").isEqualTo(1);
    fx.awaitLoadIdle("held");
  }

  @Test
  void instanceSilentPastTheTimeout_is504InTheVertxPathsJson() throws Exception {
    fx = gateway(Forwarding.RAW);
    instanceFor(fx, "silent", Framing.SILENT, 4, 1);
    SocketClient client = client(fx);

    Answer answer = client.exchange(get("/fn/silent/x"));

    assertThat(answer.status()).isEqualTo(504);
    assertThat(answer.headers()).containsEntry("content-type", "application/json");
    JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(504);
    assertThat(error.getString("message")).startsWith("function 'silent' did not answer within 1000 ms (ref ");
    assertThat(error.getString("ref")).isNotBlank();
    assertThat(raw()).isEqualTo(1);
    awaitInvocations("function=silent", "code=504", 1);
    fx.awaitLoadIdle("silent");
  }

  @Test
  void unreachableInstance_isHandedOver_andAnsweredAsTheVertxPathAnswersIt() throws Exception {
    Answer[] answers = new Answer[2];
    int i = 0;
    for (Forwarding forwarding : List.of(Forwarding.VERTX, Forwarding.RAW)) {
      fx = gateway(forwarding);
      int closedPort;
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        closedPort = probe.getLocalPort();
      }
      fx.controlPlane.upsert(route("gone", 4, 30, instance("gone-1", closedPort)));
      fx.awaitInstances("gone", 1);
      answers[i++] = client(fx).exchange(get("/fn/gone/x"));
    }
    assertThat(answers[1].status()).isEqualTo(answers[0].status()).isEqualTo(502);
    assertThat(withoutRef(answers[1])).isEqualTo(withoutRef(answers[0]));
    assertThat(fx.metric("pulse_dataplane_retries_total", "function=gone", "reason=connect_refused"))
        .as("the raw attempt was the request's one reroute: the Vert.x path tried once more, as on its own")
        .isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        fx.metric("pulse_dataplane_invocations_total", "function=gone", "code=502")).isEqualTo(1));
    fx.awaitLoadIdle("gone");
  }

  private static String withoutRef(Answer answer) {
    String message = new JsonObject(answer.body()).getJsonObject("error").getString("message");
    return message.replaceAll("\\(ref \\w+\\)", "");
  }

  @Test
  void sameRequest_sameAnswer_rawOrVertx() throws Exception {
    List<Answer> answers = new ArrayList<>();
    for (Framing framing : List.of(Framing.LENGTH, Framing.CHUNKED, Framing.UNTIL_CLOSE, Framing.LENGTH_THEN_CLOSE)) {
      for (Forwarding forwarding : List.of(Forwarding.VERTX, Forwarding.RAW)) {
        fx = gateway(forwarding);
        instanceFor(fx, "same", framing, 4, 30);
        answers.add(client(fx).exchange(post("/fn/same/p?q=1", "abc")));
      }
    }
    for (int k = 0; k < answers.size(); k += 2) {
      Answer vertx = answers.get(k);
      Answer raw = answers.get(k + 1);
      assertThat(raw.status()).isEqualTo(vertx.status());
      assertThat(raw.body()).isEqualTo(vertx.body());
      assertThat(raw.headers()).isEqualTo(vertx.headers());
    }
  }

  @Test
  void gatewaysOwn502And504_sameAnswer_rawOrVertx() throws Exception {
    List<Answer> answers = new ArrayList<>();
    for (Forwarding forwarding : List.of(Forwarding.VERTX, Forwarding.RAW)) {
      fx = gateway(forwarding);
      instanceFor(fx, "silent", Framing.SILENT, 4, 1);
      instanceFor(fx, "closer", Framing.CLOSE_ON_NEXT, 4, 30);
      SocketClient client = client(fx);
      answers.add(client.exchange(get("/fn/silent/x")));
      assertThat(client.exchange(get("/fn/closer/first")).status()).isEqualTo(200);
      answers.add(client.exchange(post("/fn/closer/once", "body")));
    }
    assertThat(raw()).isEqualTo(3);
    for (int k = 0; k < 2; k++) {
      Answer vertx = answers.get(k);
      Answer raw = answers.get(k + 2);
      assertThat(raw.status()).isEqualTo(vertx.status()).isEqualTo(k == 0 ? 504 : 502);
      assertThat(raw.headers()).isEqualTo(vertx.headers());
      assertThat(withoutRef(raw)).isEqualTo(withoutRef(vertx));
    }
  }

  @Test
  void headAndConnectionClose_sameAnswer_rawOrVertx() throws Exception {
    List<List<Answer>> answers = new ArrayList<>();
    for (Forwarding forwarding : List.of(Forwarding.VERTX, Forwarding.RAW)) {
      fx = gateway(forwarding);
      instanceFor(fx, "same", Framing.LENGTH, 4, 30);
      SocketClient client = client(fx);
      client.send("HEAD /fn/same/h HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      Answer head = client.read(true);
      Answer last = client.exchange("GET /fn/same/c HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertThat(client.closedByPeer()).as(forwarding.name()).isTrue();
      answers.add(List.of(head, last));
    }
    assertThat(raw()).isEqualTo(2);
    assertThat(answers.get(1)).isEqualTo(answers.get(0));
  }

  @Test
  void sameRequest_reachesTheInstanceAlike_rawOrVertx() throws Exception {
    String request = "POST /fn/same/p?q=1 HTTP/1.1\r\nHost: Gateway.Example\r\nAccept: */*\r\nCookie: a=b\r\n"
        + "X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Host: spoofed\r\nX-Forwarded-Proto: https\r\n"
        + "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic eA==\r\n"
        + "Connection: keep-alive\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc";
    List<List<String>> seen = new ArrayList<>();
    for (Forwarding forwarding : List.of(Forwarding.VERTX, Forwarding.RAW)) {
      fx = gateway(forwarding);
      ScriptedInstance same = instanceFor(fx, "same", Framing.LENGTH, 4, 30);
      assertThat(client(fx).exchange(request).status()).isEqualTo(200);
      ScriptedInstance.Request got = same.requests().getFirst();
      seen.add(headLines(got.head().replace(":" + same.port(), ":PORT"), got.body()));
    }
    assertThat(raw()).isEqualTo(1);
    assertThat(seen.get(1)).as("the head and body the instance read, raw against Vert.x").isEqualTo(seen.get(0));
  }

  /** A request's lines, header names in lower case and headers sorted (their order means nothing), then its body. */
  private static List<String> headLines(String head, String body) {
    List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
    String requestLine = lines.removeFirst();
    List<String> headers = lines.stream().map(line -> {
      int colon = line.indexOf(':');
      return line.substring(0, colon).toLowerCase(java.util.Locale.ROOT) + ":" + line.substring(colon + 1).strip();
    }).sorted().toList();
    List<String> all = new ArrayList<>();
    all.add(requestLine);
    all.addAll(headers);
    all.add(body);
    return all;
  }

  @Test
  void headPipelinedAfterVertxsRequest_cutAtALineEnd_isReadToItsEndByVertx_underEitherForwarding() throws Exception {
    for (Forwarding forwarding : List.of(Forwarding.VERTX, Forwarding.RAW)) {
      fx = gateway(forwarding);
      ScriptedInstance echo = instanceFor(fx, "echo", Framing.LENGTH, 4, 30);
      // The connection's first request (Vert.x's) and the next one's head up to a line's end: the decoder takes
      // those lines in and holds no byte, halfway through a head.
      SocketClient split = new SocketClient(fx.dataPlane.httpPort());
      open.add(split);
      split.send(get("/fn/echo/1") + "GET /fn/echo/2 HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      assertThat(split.read(false).body()).as(forwarding.name()).isEqualTo("GET /1 ");
      split.send("Accept: */*\r\n\r\n");
      assertThat(split.read(false).body()).as(forwarding.name()).isEqualTo("GET /2 ");

      // The rest of a head is never a request of its own, even when a line of it looks like one.
      SocketClient smuggler = new SocketClient(fx.dataPlane.httpPort());
      open.add(smuggler);
      smuggler.send(get("/fn/echo/3") + "GET /fn/echo/4 HTTP/1.1\r\n");
      assertThat(smuggler.read(false).body()).as(forwarding.name()).isEqualTo("GET /3 ");
      smuggler.send("GET /fn/echo/5 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(smuggler.read(false).status()).as(forwarding.name()).isEqualTo(400);
      assertThat(echo.requests()).extracting(r -> r.head().substring(0, r.head().indexOf("\r\n")))
          .as(forwarding.name()).containsExactly("GET /1 HTTP/1.1", "GET /2 HTTP/1.1", "GET /3 HTTP/1.1");
    }
  }

  @Test
  void onByDefault_andVertxStaysSelectable() {
    assertThat(DataPlaneConfig.defaults().forwarding()).isEqualTo(Forwarding.RAW);
    assertThat(Forwarding.parse("vertx")).isEqualTo(Forwarding.VERTX);
  }
}
