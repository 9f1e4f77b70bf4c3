package io.pulse.common.routes;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.api.v1.LeaderInfo;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.RoutesAck;
import io.pulse.api.v1.RoutesAckReply;
import io.pulse.api.v1.WatchRoutesRequest;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.net.HostPort;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A FAKE control plane on loopback port 0 for route watchers: every WatchRoutes call gets the messages the test set
 * (opening), stays open until {@link #endStreams()}, and is counted with its cancellations; acknowledgements are
 * recorded; GetLeader answers as told (UNIMPLEMENTED until told).
 */
final class RouteServer implements AutoCloseable {

  private final Server server;
  private final List<ServerCallStreamObserver<RouteUpdate>> streams = new CopyOnWriteArrayList<>();
  private final List<Long> acks = new CopyOnWriteArrayList<>();
  private final List<String> watchers = new CopyOnWriteArrayList<>();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final AtomicReference<List<RouteUpdate>> opening = new AtomicReference<>(List.of());
  private final AtomicReference<@Nullable LeaderInfo> leader = new AtomicReference<>();

  RouteServer() {
    server = GrpcServers.start(new HostPort("127.0.0.1", 0), List.<BindableService>of(new Service()));
  }

  HostPort address() {
    return new HostPort("127.0.0.1", server.getPort());
  }

  void opening(RouteUpdate... updates) {
    opening.set(List.of(updates));
  }

  void answerLeader(HostPort address) {
    leader.set(LeaderInfo.newBuilder().setKnown(true).setLeaderId("cp-" + address.port())
        .setGrpcAddress(address.toString()).build());
  }

  /** Sends {@code update} on every open stream. */
  void send(RouteUpdate update) {
    for (ServerCallStreamObserver<RouteUpdate> stream : streams) {
      synchronized (stream) {
        stream.onNext(update);
      }
    }
  }

  void endStreams() {
    for (ServerCallStreamObserver<RouteUpdate> stream : streams) {
      streams.remove(stream);
      synchronized (stream) {
        stream.onCompleted();
      }
    }
  }

  int calls() {
    return watchers.size();
  }

  List<String> watchers() {
    return watchers;
  }

  int cancelled() {
    return cancelled.get();
  }

  List<Long> acks() {
    return acks;
  }

  @Override
  public void close() {
    endStreams();
    GrpcServers.stop(server, 500);
  }

  private final class Service extends ControlPlaneServiceGrpc.ControlPlaneServiceImplBase {

    @Override
    public void watchRoutes(WatchRoutesRequest request, StreamObserver<RouteUpdate> observer) {
      ServerCallStreamObserver<RouteUpdate> call = (ServerCallStreamObserver<RouteUpdate>) observer;
      call.setOnCancelHandler(() -> {
        streams.remove(call);
        cancelled.incrementAndGet();
      });
      synchronized (call) {
        opening.get().forEach(call::onNext);
      }
      streams.add(call);
      watchers.add(request.getDataPlaneId());
    }

    @Override
    public void ackRoutes(RoutesAck request, StreamObserver<RoutesAckReply> observer) {
      acks.add(request.getVersion());
      observer.onNext(RoutesAckReply.getDefaultInstance());
      observer.onCompleted();
    }

    @Override
    public void getLeader(GetLeaderRequest request, StreamObserver<LeaderInfo> observer) {
      LeaderInfo info = leader.get();
      if (info == null) {
        super.getLeader(request, observer);
        return;
      }
      observer.onNext(info);
      observer.onCompleted();
    }
  }
}
