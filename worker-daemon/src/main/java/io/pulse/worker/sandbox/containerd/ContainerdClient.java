package io.pulse.worker.sandbox.containerd;

import com.google.protobuf.Empty;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.pulse.worker.sandbox.containerd.api.ContainersGrpc;
import io.pulse.worker.sandbox.containerd.api.ContentGrpc;
import io.pulse.worker.sandbox.containerd.api.DiffGrpc;
import io.pulse.worker.sandbox.containerd.api.EventsGrpc;
import io.pulse.worker.sandbox.containerd.api.ImagesGrpc;
import io.pulse.worker.sandbox.containerd.api.LeasesGrpc;
import io.pulse.worker.sandbox.containerd.api.SnapshotsGrpc;
import io.pulse.worker.sandbox.containerd.api.TasksGrpc;
import io.pulse.worker.sandbox.containerd.api.VersionGrpc;
import io.pulse.worker.sandbox.containerd.api.VersionResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A gRPC connection to one containerd over its Unix socket (Netty epoll domain sockets), bound to one containerd
 * namespace: every call carries the {@code containerd-namespace} header, and, inside {@link #withLease}, the
 * {@code containerd-lease} header. Stubs come with a deadline per call; a dead containerd surfaces as
 * {@link Status.Code#UNAVAILABLE}, never as a hang. Thread-safe; stubs block, so call them from virtual threads.
 */
public final class ContainerdClient implements AutoCloseable {

  static final Metadata.Key<String> NAMESPACE =
      Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> LEASE = Metadata.Key.of("containerd-lease", Metadata.ASCII_STRING_MARSHALLER);

  private final Path socket;
  private final String namespace;
  private final ManagedChannel channel;
  private final EventLoopGroup loop;
  private final long defaultDeadlineMs;

  private ContainerdClient(Path socket, String namespace, ManagedChannel channel, EventLoopGroup loop,
      long defaultDeadlineMs) {
    this.socket = socket;
    this.namespace = namespace;
    this.channel = channel;
    this.loop = loop;
    this.defaultDeadlineMs = defaultDeadlineMs;
  }

  /** A client for the socket at {@code socket}; connects lazily (the first call fails if nobody listens). */
  public static ContainerdClient connect(Path socket, String namespace, long defaultDeadlineMs) {
    if (namespace.isBlank()) {
      throw new IllegalArgumentException("containerd namespace must not be empty");
    }
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollDomainSocketChannel.class)
        // grpc-netty sets SO_KEEPALIVE on every channel; a Unix socket has none, and Netty warns on each connect.
        .withOption(ChannelOption.SO_KEEPALIVE, null)
        .eventLoopGroup(loop)
        .overrideAuthority("localhost")
        .usePlaintext()
        .maxInboundMessageSize(16 * 1024 * 1024)
        .build();
    return new ContainerdClient(socket, namespace, channel, loop, defaultDeadlineMs);
  }

  public Path socket() {
    return socket;
  }

  public String namespace() {
    return namespace;
  }

  /** containerd's version, e.g. {@code 1.6.20~ds1}. */
  public VersionResponse version() {
    return VersionGrpc.newBlockingStub(channel).withDeadlineAfter(defaultDeadlineMs, TimeUnit.MILLISECONDS)
        .version(Empty.getDefaultInstance());
  }

  public ContainersGrpc.ContainersBlockingStub containers() {
    return containers(null);
  }

  public ContainersGrpc.ContainersBlockingStub containers(@Nullable String lease) {
    return ContainersGrpc.newBlockingStub(scoped(lease)).withDeadlineAfter(defaultDeadlineMs, TimeUnit.MILLISECONDS);
  }

  public TasksGrpc.TasksBlockingStub tasks() {
    return TasksGrpc.newBlockingStub(scoped(null)).withDeadlineAfter(defaultDeadlineMs, TimeUnit.MILLISECONDS);
  }

  /** Tasks stub with its own deadline (for {@code Wait}). */
  public TasksGrpc.TasksBlockingStub tasks(long deadlineMs) {
    return TasksGrpc.newBlockingStub(scoped(null)).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
  }

  public SnapshotsGrpc.SnapshotsBlockingStub snapshots(@Nullable String lease) {
    return SnapshotsGrpc.newBlockingStub(scoped(lease)).withDeadlineAfter(defaultDeadlineMs, TimeUnit.MILLISECONDS);
  }

  public ImagesGrpc.ImagesBlockingStub images() {
    return ImagesGrpc.newBlockingStub(scoped(null)).withDeadlineAfter(defaultDeadlineMs, TimeUnit.MILLISECONDS);
  }

  public LeasesGrpc.LeasesBlockingStub leases() {
    return LeasesGrpc.newBlockingStub(scoped(null)).withDeadlineAfter(defaultDeadlineMs, TimeUnit.MILLISECONDS);
  }

  /** Diff apply unpacks a whole layer: it gets a deadline of its own. */
  public DiffGrpc.DiffBlockingStub diff(@Nullable String lease, long deadlineMs) {
    return DiffGrpc.newBlockingStub(scoped(lease)).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
  }

  public ContentGrpc.ContentBlockingStub content(@Nullable String lease) {
    return ContentGrpc.newBlockingStub(scoped(lease)).withDeadlineAfter(defaultDeadlineMs, TimeUnit.MILLISECONDS);
  }

  /** Streaming content stub (Write, Read) for a transfer that may take long: the deadline is the caller's. */
  public ContentGrpc.ContentBlockingV2Stub contentStreams(@Nullable String lease, long deadlineMs) {
    return ContentGrpc.newBlockingV2Stub(scoped(lease)).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
  }

  /** The event stream has no deadline: it lives as long as the runtime. */
  public EventsGrpc.EventsStub events() {
    return EventsGrpc.newStub(scoped(null));
  }

  /** True when the status says the object is absent (delete paths treat that as done). */
  public static boolean notFound(Throwable failure) {
    return failure instanceof StatusRuntimeException e && e.getStatus().getCode() == Status.Code.NOT_FOUND;
  }

  public static boolean alreadyExists(Throwable failure) {
    return failure instanceof StatusRuntimeException e && e.getStatus().getCode() == Status.Code.ALREADY_EXISTS;
  }

  /** True when containerd itself could not be reached or did not answer in time. */
  public static boolean unreachable(Throwable failure) {
    return failure instanceof StatusRuntimeException e
        && (e.getStatus().getCode() == Status.Code.UNAVAILABLE
            || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED);
  }

  private Channel scoped(@Nullable String lease) {
    return ClientInterceptors.intercept(channel, new Headers(namespace, lease));
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Adds the namespace (and lease) headers to every call. */
  private record Headers(String namespace, @Nullable String lease) implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          headers.put(NAMESPACE, namespace);
          if (lease != null) {
            headers.put(LEASE, lease);
          }
          super.start(listener, headers);
        }
      };
    }
  }
}
