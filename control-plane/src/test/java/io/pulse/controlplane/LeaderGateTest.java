package io.pulse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.controlplane.cluster.ClusterState;
import io.pulse.controlplane.cluster.ReplicaInfo;
import io.pulse.controlplane.grpc.ControlPlaneHandler;
import io.pulse.controlplane.instances.WorkerListing;
import io.pulse.controlplane.registry.NotLeaderException;
import io.pulse.controlplane.routes.RouteDelta;
import io.pulse.controlplane.routes.RouteSink;
import io.pulse.controlplane.routes.RoutesNotOpenException;
import io.pulse.controlplane.testing.ManualClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LeaderGateTest {

  private static final Supplier<ClusterState> NO_CLUSTER = () -> {
    throw new AssertionError("a leading gate does not look at the cluster");
  };

  private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(10_000));
  private final List<String> watchers = new CopyOnWriteArrayList<>();

  @Test
  void watchRoutes_refusedUntilTheNewLeaderHasHeardTheWorkers_onTheInjectedClock() {
    LeaderGate gate = new LeaderGate(NO_CLUSTER, clock);
    gate.lead(handler(), 12_000);

    assertThatThrownBy(() -> gate.watchRoutes("dp-1", sink("dp-1"))).isInstanceOf(RoutesNotOpenException.class);
    clock.advance(Duration.ofMillis(1_999));
    assertThatThrownBy(() -> gate.watchRoutes("dp-1", sink("dp-1"))).isInstanceOf(RoutesNotOpenException.class);
    assertThat(watchers).isEmpty();

    clock.advance(Duration.ofMillis(1));
    gate.watchRoutes("dp-1", sink("dp-1"));

    assertThat(watchers).containsExactly("dp-1");
  }

  @Test
  void openRoutes_acceptsStreamsBeforeTheDeadline() {
    LeaderGate gate = new LeaderGate(NO_CLUSTER, clock);
    ControlPlaneHandler handler = handler();
    gate.lead(handler, 12_000);

    gate.openRoutes(handler);
    gate.watchRoutes("dp-2", sink("dp-2"));

    assertThat(watchers).containsExactly("dp-2");
  }

  @Test
  void aFollower_refusesWithTheLeaderItKnows_asADomainRefusal() {
    ReplicaInfo self = new ReplicaInfo("cp-2", "127.0.0.1:9102", "127.0.0.1:8102");
    ReplicaInfo leader = new ReplicaInfo("cp-1", "127.0.0.1:9101", "127.0.0.1:8101");
    LeaderGate gate = new LeaderGate(() -> new ClusterState(self, List.of(leader, self), 3, leader, 7, null, 1), clock);

    assertThatThrownBy(() -> gate.heartbeat("w-1", WorkerListing.unstamped(List.of())))
        .isInstanceOfSatisfying(NotLeaderException.class, e -> {
          assertThat(e.leaderId()).isEqualTo("cp-1");
          assertThat(e.leaderRestAddress()).isEqualTo("127.0.0.1:8101");
          assertThat(e.getMessage()).contains("leader cp-1 at 127.0.0.1:9101");
        });
    assertThat(watchers).isEmpty();
  }

  /** A handler that records route watches and ignores everything else. */
  private ControlPlaneHandler handler() {
    return (ControlPlaneHandler) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ControlPlaneHandler.class}, (proxy, method, args) -> {
          if (method.getName().equals("watchRoutes")) {
            watchers.add((String) args[0]);
          }
          return null;
        });
  }

  private static RouteSink sink(String id) {
    return new RouteSink() {
      @Override
      public String dataPlaneId() {
        return id;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void send(RouteDelta delta, long version) {}

      @Override
      public void close() {}
    };
  }
}
