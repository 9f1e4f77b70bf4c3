package io.pulse.dataplane.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.pulse.dataplane.routing.Instance;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One event loop's raw (byte-level) connections to the instances, with {@link KeptConnections}' rules: at most
 * {@code cap} per instance, one exchange at a time on each, the most recently used handed out first, idle ones closed
 * after the keep-alive; requests beyond the cap wait in arrival order. Connections are Netty channels of the same
 * transport and event loop as the client's, so bytes move between the two without a thread hop. Instances seen closing
 * kept connections ({@link ClosingInstances}) get a connection per exchange. Used from that event loop only.
 */
final class RawConnections {

  /** What an exchange hears from its connection. */
  interface Listener {
    /** Bytes of the answer; the listener owns (releases) them. */
    void read(ByteBuf bytes);

    /** The connection closed (by the instance, or an error). */
    void closed();

    /** The connection became writable again, or stopped being so. */
    default void writabilityChanged() {}
  }

  /** One connection and what the pool knows of it. */
  static final class Connection extends ChannelInboundHandlerAdapter {
    private final Lane lane;
    private @Nullable Channel channel;
    private @Nullable Listener listener;
    private boolean used;
    private boolean closed;
    private boolean oneShot;
    private long idleSince;

    private Connection(Lane lane) {
      this.lane = lane;
    }

    Channel channel() {
      return java.util.Objects.requireNonNull(channel);
    }

    /** Whether an earlier exchange went over it (a close before any answer may be the instance closing it idle). */
    boolean reused() {
      return used;
    }

    /** Whether it closes after this exchange whatever the answer says (the instance closes its connections). */
    boolean oneShot() {
      return oneShot;
    }

    void listen(@Nullable Listener exchange) {
      this.listener = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Listener current = listener;
      if (current == null) {
        ((ByteBuf) msg).release();
        ctx.close(); // bytes nobody asked for: the connection is out of step, never reuse it
        return;
      }
      current.read((ByteBuf) msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      lane.pool.closed(this);
      Listener current = listener;
      if (current != null) {
        listener = null;
        current.closed();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      Listener current = listener;
      if (current != null) {
        current.writabilityChanged();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** One instance's connections. */
  private static final class Lane {
    private final RawConnections pool;
    private final String instanceId;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<Consumer<@Nullable Connection>> waiting = new ArrayDeque<>();
    private Instance instance;
    private int open;

    private Lane(RawConnections pool, Instance instance) {
      this.pool = pool;
      this.instanceId = instance.id();
      this.instance = instance;
    }
  }

  static final int CONNECT_TIMEOUT_MILLIS = 5000;

  private final EventLoop loop;
  private final Class<? extends Channel> transport;
  private final int cap;
  private final long keepAliveNanos;
  private final LongSupplier nanoClock;
  private final ClosingInstances closing = new ClosingInstances();
  private final Map<String, Lane> lanes = new HashMap<>();

  RawConnections(EventLoop loop, Class<? extends Channel> transport, int cap, long keepAliveNanos,
      LongSupplier nanoClock) {
    this.loop = loop;
    this.transport = transport;
    this.cap = cap;
    this.keepAliveNanos = keepAliveNanos;
    this.nanoClock = nanoClock;
  }

  /**
   * Hands {@code handler} a connection to {@code instance} (an idle one, a new one, or at the cap the next freed), or
   * null when one could not be made: then nothing of the request went out. {@code fresh}: a new connection, never a
   * kept one (a replay after a kept one closed under the request).
   */
  void acquire(Instance instance, boolean fresh, Consumer<@Nullable Connection> handler) {
    Lane lane = lanes.computeIfAbsent(instance.id(), id -> new Lane(this, instance));
    lane.instance = instance;
    boolean oneShot = fresh || closing.closes(instance.id());
    if (!oneShot) {
      long now = nanoClock.getAsLong();
      Connection kept;
      while ((kept = lane.idle.pollLast()) != null) {
        if (!kept.closed && kept.channel().isActive() && now - kept.idleSince < keepAliveNanos) {
          kept.used = true;
          handler.accept(kept);
          return;
        }
        kept.channel().close();
      }
    }
    if (lane.open < cap) {
      connect(lane, instance, oneShot, handler);
    } else {
      lane.waiting.add(handler);
    }
  }

  /** The exchange on {@code connection} is over; {@code reusable}: both messages ended on a connection left open. */
  void release(Connection connection, boolean reusable) {
    connection.listener = null;
    if (connection.closed) {
      return;
    }
    if (!reusable || connection.oneShot) {
      connection.channel().close(); // its inactivity frees the place
      return;
    }
    connection.channel().config().setAutoRead(true);
    Lane lane = connection.lane;
    Consumer<@Nullable Connection> next = lane.waiting.poll();
    if (next != null) {
      connection.used = true;
      loop.execute(() -> next.accept(connection)); // not from inside the ending exchange's callbacks
      return;
    }
    connection.idleSince = nanoClock.getAsLong();
    lane.idle.addLast(connection);
  }

  /** {@code instanceId} closed a kept connection before answering on it: its exchanges get connections of their own. */
  void closesConnections(String instanceId) {
    closing.closed(instanceId);
  }

  /** Closes the connections idle for longer than the keep-alive, and forgets instances with none left. */
  void expire() {
    long now = nanoClock.getAsLong();
    for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
      Lane lane = it.next();
      List<Connection> expired = new ArrayList<>();
      for (Iterator<Connection> idle = lane.idle.iterator(); idle.hasNext(); ) {
        Connection connection = idle.next();
        if (now - connection.idleSince >= keepAliveNanos) {
          idle.remove();
          expired.add(connection);
        }
      }
      expired.forEach(connection -> connection.channel().close());
      if (lane.open == 0 && lane.waiting.isEmpty()) {
        it.remove();
      }
    }
  }

  EventLoop loop() {
    return loop;
  }

  /** Connections open or being opened to {@code instanceId} (tests). */
  int open(String instanceId) {
    Lane lane = lanes.get(instanceId);
    return lane == null ? 0 : lane.open;
  }

  /** Closes every idle connection; those in use close with their exchange. */
  void close() {
    List<Connection> idle = new ArrayList<>();
    lanes.values().forEach(lane -> idle.addAll(lane.idle));
    lanes.values().forEach(lane -> lane.idle.clear());
    idle.forEach(connection -> connection.channel().close());
  }

  private void connect(Lane lane, Instance instance, boolean oneShot, Consumer<@Nullable Connection> handler) {
    lane.open++;
    Connection connection = new Connection(lane);
    connection.oneShot = oneShot;
    ChannelFuture connecting = new Bootstrap().group(loop)
        .channel(transport)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .option(ChannelOption.SO_LINGER, oneShot ? 0 : -1) // one-shot: no TIME_WAIT (as InstanceClients does)
        .handler(connection)
        .connect(instance.host(), instance.port());
    connection.channel = connecting.channel();
    connecting.addListener(done -> {
      if (done.isSuccess()) {
        handler.accept(connection);
      } else {
        closed(connection);
        handler.accept(null);
      }
    });
  }

  private void closed(Connection connection) {
    if (connection.closed) {
      return;
    }
    connection.closed = true;
    Lane lane = connection.lane;
    lane.open--;
    lane.idle.remove(connection);
    if (lane.open < cap) {
      Consumer<@Nullable Connection> next = lane.waiting.poll();
      if (next != null) {
        connect(lane, lane.instance, false, next); // a place under the cap came free: a new connection

      }
    }
    if (lane.open == 0 && lane.waiting.isEmpty() && lanes.get(lane.instanceId) == lane) {
      lanes.remove(lane.instanceId);
    }
  }
}
