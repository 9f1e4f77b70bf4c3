package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.common.vertx.NetTransport;
import io.pulse.dataplane.ScriptedInstance.Framing;
import io.pulse.dataplane.SocketClient.Answer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway on each native transport by name (`pulse data-plane --transport epoll|io_uring`; the other tests run on
 * the default, auto: io_uring where the kernel offers it): the byte-level forwarder's connections to instances are
 * channels of the client's transport and event loop, so each transport carries requests, bodies and chunked answers
 * raw.
 */
class GatewayTransportsTest {

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  static Stream<String> transports() {
    return Stream.of("epoll", "io_uring");
  }

  @ParameterizedTest
  @MethodSource("transports")
  void requestsBodiesAndChunkedAnswers_areCarriedRaw(String name) throws Exception {
    Transport transport = name.equals("epoll") ? Transport.EPOLL : Transport.IO_URING;
    assumeTrue(transport.available(), () -> name + " is not available here: " + transport.unavailabilityCause());
    DataPlaneFixture fx = DataPlaneFixture.start(NetTransport.parse(name), c -> c.withForwarding(Forwarding.RAW)
        .withEventLoops(1));
    open.add(fx);
    assertThat(((VertxInternal) fx.vertx).transport().getClass())
        .isEqualTo(transport.implementation().getClass());
    ScriptedInstance plain = instanceFor(fx, "plain", Framing.PLAIN);
    ScriptedInstance chunked = instanceFor(fx, "chunked", Framing.CHUNKED);
    fx.awaitReady();
    SocketClient client = new SocketClient(fx.dataPlane.httpPort());
    open.add(client);
    // A connection's first request is Vert.x's (over a connection of Vert.x's client): not to `plain`.
    assertThat(client.exchange(get("/fn/chunked/first")).status()).isEqualTo(200);

    Answer got = client.exchange(get("/fn/plain/a?x=1"));
    Answer posted = client.exchange("POST /fn/plain/up HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello");
    Answer relayed = client.exchange(get("/fn/chunked/c"));

    assertThat(got.body()).isEqualTo("GET /a?x=1 ");
    assertThat(posted.body()).isEqualTo("POST /up hello");
    assertThat(relayed.headers()).containsEntry("transfer-encoding", "chunked");
    assertThat(relayed.body()).isEqualTo("GET /c ");
    assertThat(fx.metric("pulse_dataplane_raw_exchanges_total")).isEqualTo(3);
    assertThat(plain.connections()).as("one kept raw connection carried both").isEqualTo(1);
    assertThat(chunked.requests()).hasSize(2);
    fx.awaitLoadIdle("plain");
  }

  private ScriptedInstance instanceFor(DataPlaneFixture fx, String function, Framing framing) throws Exception {
    ScriptedInstance server = ScriptedInstance.start(framing);
    open.add(server);
    fx.controlPlane.upsert(route(function, 16, 30, instance(function + "-1", server.port())));
    fx.awaitInstances(function, 1);
    return server;
  }

  private static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
  }
}
