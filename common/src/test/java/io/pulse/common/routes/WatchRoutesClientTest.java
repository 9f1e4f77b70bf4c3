package io.pulse.common.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.leader.LeaderChannel;
import io.pulse.common.net.HostPort;
import io.pulse.common.retry.Backoff;
import io.pulse.common.time.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchRoutesClientTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Backoff FAST = Backoff.doubling(10, 50);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<RouteUpdate> applied = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  @Test
  void streamBeginningWithADelta_isIgnoredUntilASnapshot() {
    RouteServer server = server();
    server.opening(delta("early", 1));
    WatchRoutesClient client = client(List.of(server.address()), applied::add);

    await().atMost(WAIT).until(() -> server.calls() == 1);
    server.send(snapshot("a", 2));
    await().atMost(WAIT).until(client::connected);
    server.send(delta("b", 3));

    await().atMost(WAIT).untilAsserted(() -> assertThat(names()).containsExactly("a", "b"));
    assertThat(client.snapshotReceived()).isTrue();
    await().atMost(WAIT).untilAsserted(() -> assertThat(server.acks()).containsExactlyInAnyOrder(2L, 3L));
  }

  @Test
  void rejectedUpdate_isNeitherAppliedNorAcknowledged() {
    RouteServer server = server();
    server.opening(snapshot("a", 1));
    client(List.of(server.address()), update -> {
      if (update.getFunctions(0).getName().equals("bad")) {
        throw new IllegalArgumentException("bad route");
      }
      applied.add(update);
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(server.acks()).containsExactly(1L));

    server.send(delta("bad", 2));
    server.send(delta("c", 3));

    await().atMost(WAIT).untilAsserted(() -> assertThat(server.acks()).containsExactly(1L, 3L));
    assertThat(names()).containsExactly("a", "c");
  }

  @Test
  void streamEnds_reconnectsAndTakesTheNextSnapshot() {
    RouteServer server = server();
    server.opening(snapshot("a", 1));
    WatchRoutesClient client = client(List.of(server.address()), applied::add);
    await().atMost(WAIT).until(client::connected);

    server.opening(snapshot("b", 5));
    server.endStreams();

    await().atMost(WAIT).untilAsserted(() -> assertThat(names()).containsExactly("a", "b"));
    assertThat(server.calls()).isEqualTo(2);
    assertThat(server.watchers()).containsOnly("watcher-1");
    await().atMost(WAIT).until(client::connected);
  }

  @Test
  void leader_isFollowedAtTheFirstConnectAndAfterAFailover() {
    RouteServer one = server();
    RouteServer two = server();
    one.opening(snapshot("from-one", 1));
    two.opening(snapshot("from-two", 1));
    one.answerLeader(one.address());
    two.answerLeader(one.address());
    // The follower is given first: GetLeader, not the order of the seeds, decides where the stream goes.
    WatchRoutesClient client = client(List.of(two.address(), one.address()), applied::add);
    await().atMost(WAIT).until(client::connected);
    assertThat(names()).containsExactly("from-one");
    assertThat(two.calls()).isZero();

    one.answerLeader(two.address());
    two.answerLeader(two.address());
    one.endStreams();

    await().atMost(WAIT).untilAsserted(() -> assertThat(names()).containsExactly("from-one", "from-two"));
    assertThat(client.target()).isEqualTo(two.address().toString());
    assertThat(one.calls()).isEqualTo(1);
  }

  @Test
  void close_cancelsTheStreamAndReconnectsNoMore() {
    RouteServer server = server();
    server.opening(snapshot("a", 1));
    WatchRoutesClient client = client(List.of(server.address()), applied::add);
    await().atMost(WAIT).until(client::connected);

    client.close();

    await().atMost(WAIT).until(() -> server.cancelled() == 1);
    assertThat(client.connected()).isFalse();
    assertThat(server.calls()).isEqualTo(1);
  }

  private RouteServer server() {
    RouteServer server = new RouteServer();
    closeables.add(server);
    return server;
  }

  private WatchRoutesClient client(List<HostPort> seeds, WatchRoutesClient.Listener listener) {
    LeaderChannel channel = LeaderChannel.create(seeds);
    closeables.add(() -> GrpcChannels.close(channel));
    WatchRoutesClient client = new WatchRoutesClient(channel, "watcher-1", WatchRoutesClient.requestOf("watcher-1"),
        FAST, Timers.virtualThreads("test-routes"), listener);
    closeables.add(client::close);
    client.start();
    return client;
  }

  private List<String> names() {
    return applied.stream().flatMap(u -> u.getFunctionsList().stream()).map(FunctionRoute::getName).toList();
  }

  private static RouteUpdate snapshot(String function, long version) {
    return RouteUpdate.newBuilder().setFullSnapshot(true).setVersion(version)
        .addFunctions(FunctionRoute.newBuilder().setName(function)).build();
  }

  private static RouteUpdate delta(String function, long version) {
    return RouteUpdate.newBuilder().setVersion(version).addFunctions(FunctionRoute.newBuilder().setName(function))
        .build();
  }
}
