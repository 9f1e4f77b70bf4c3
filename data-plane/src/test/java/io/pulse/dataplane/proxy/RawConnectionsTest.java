package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.pulse.dataplane.routing.Instance;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The raw pool's rules on real loopback sockets and a real event loop, its clock a manual one: most recent first, the
 * cap per instance with the rest waiting in order, idle connections closed after the keep-alive.
 */
class RawConnectionsTest {

  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final AtomicLong now = new AtomicLong();
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private ServerSocket server;
  private Instance instance;
  private RawConnections pool;

  private void start(int cap) throws Exception {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          accepted.add(server.accept());
        } catch (java.io.IOException e) {
          return;
        }
      }
    });
    instance = new Instance("i1", "127.0.0.1", server.getLocalPort(), "w");
    pool = new RawConnections(loop, NioSocketChannel.class, cap, KEEP_ALIVE_NANOS, now::get);
  }

  @AfterEach
  void stop() throws Exception {
    if (pool != null) {
      onLoop(() -> {
        pool.close();
        return null;
      });
    }
    server.close();
    for (Socket socket : accepted) {
      socket.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void aReleasedConnection_isHandedOutAgain_theMostRecentFirst() throws Exception {
    start(4);
    RawConnections.Connection first = acquire();
    RawConnections.Connection second = acquire();
    assertThat(second).isNotSameAs(first);
    onLoop(() -> {
      pool.release(first, true);
      now.addAndGet(1);
      pool.release(second, true);
      return null;
    });

    RawConnections.Connection again = acquire();

    assertThat(again).isSameAs(second);
    assertThat(again.reused()).isTrue();
    assertThat(onLoop(() -> pool.open("i1"))).as("no third connection").isEqualTo(2);
  }

  @Test
  void atTheCap_aRequestWaits_andGetsTheNextReleasedConnection() throws Exception {
    start(1);
    RawConnections.Connection only = acquire();
    AtomicReference<RawConnections.Connection> waited = new AtomicReference<>();
    onLoop(() -> {
      pool.acquire(instance, false, waited::set);
      return null;
    });
    assertThat(waited.get()).as("waits at the cap").isNull();

    onLoop(() -> {
      pool.release(only, true);
      return null;
    });

    await().atMost(Duration.ofSeconds(5)).until(() -> waited.get() == only);
    assertThat(onLoop(() -> pool.open("i1"))).as("no second connection").isEqualTo(1);
  }

  @Test
  void anIdleConnection_isClosedAfterTheKeepAlive_andTheNextRequestGetsANewOne() throws Exception {
    start(4);
    RawConnections.Connection idle = acquire();
    onLoop(() -> {
      pool.release(idle, true);
      now.addAndGet(KEEP_ALIVE_NANOS - 1);
      pool.expire();
      return null;
    });
    assertThat(idle.channel().isActive()).as("not yet").isTrue();

    onLoop(() -> {
      now.addAndGet(1);
      pool.expire();
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> !idle.channel().isActive());

    RawConnections.Connection next = acquire();
    assertThat(next).isNotSameAs(idle);
    assertThat(next.reused()).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> onLoop(() -> pool.open("i1")) == 1);
  }

  @Test
  void aConnectionNotReusable_isClosed_andItsPlaceFreed() throws Exception {
    start(1);
    RawConnections.Connection used = acquire();
    onLoop(() -> {
      pool.release(used, false);
      return null;
    });

    await().atMost(Duration.ofSeconds(5)).until(() -> onLoop(() -> pool.open("i1")) == 0);
    assertThat(acquire()).isNotSameAs(used);
  }

  @Test
  void anInstanceSeenClosingConnections_getsAConnectionPerExchange() throws Exception {
    start(4);
    RawConnections.Connection kept = acquire();
    onLoop(() -> {
      pool.release(kept, true);
      pool.closesConnections("i1");
      return null;
    });

    RawConnections.Connection oneShot = acquire();

    assertThat(oneShot).isNotSameAs(kept);
    assertThat(oneShot.oneShot()).isTrue();
    onLoop(() -> {
      pool.release(oneShot, true);
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> !oneShot.channel().isActive());
  }

  @Test
  void anUnreachableInstance_isAnsweredWithNoConnection() throws Exception {
    start(4);
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    AtomicReference<Object> answer = new AtomicReference<>();
    onLoop(() -> {
      pool.acquire(new Instance("gone", "127.0.0.1", closedPort, "w"), false,
          connection -> answer.set(connection == null ? "none" : connection));
      return null;
    });

    await().atMost(Duration.ofSeconds(5)).until(() -> "none".equals(answer.get()));
    assertThat(onLoop(() -> pool.open("gone"))).isZero();
  }

  private RawConnections.Connection acquire() throws Exception {
    AtomicReference<RawConnections.Connection> got = new AtomicReference<>();
    onLoop(() -> {
      pool.acquire(instance, false, got::set);
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> got.get() != null);
    return got.get();
  }

  private <T> T onLoop(Callable<T> action) throws Exception {
    return loop.submit(action).get(5, TimeUnit.SECONDS);
  }
}
