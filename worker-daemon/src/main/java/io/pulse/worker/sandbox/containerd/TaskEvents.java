package io.pulse.worker.sandbox.containerd;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.pulse.worker.sandbox.containerd.api.Envelope;
import io.pulse.worker.sandbox.containerd.api.SubscribeRequest;
import io.pulse.worker.sandbox.containerd.api.TaskExit;
import io.pulse.worker.sandbox.containerd.api.TaskOOM;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows containerd's {@code /tasks/exit} and {@code /tasks/oom} events for our namespace and hands them to a
 * listener. When the stream breaks (containerd restarted or crashed) it resubscribes every second and then asks the
 * listener to reconcile, since events may have been missed meanwhile.
 */
final class TaskEvents implements AutoCloseable {

  /** What the runtime does with events. */
  interface Listener {
    void exited(String containerId, int exitStatus);

    void oom(String containerId);

    /** Called after a (re)subscription: compare with containerd's task list. */
    void resubscribed();
  }

  private static final Logger LOG = LoggerFactory.getLogger(TaskEvents.class);

  private final ContainerdClient client;
  private final Listener listener;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("pulse-containerd-events").factory());
  private volatile Context.CancellableContext current = Context.current().withCancellation();
  private volatile boolean closed;

  TaskEvents(ContainerdClient client, Listener listener) {
    this.client = client;
    this.listener = listener;
  }

  void start() {
    subscribe(false);
  }

  private void subscribe(boolean again) {
    if (closed) {
      return;
    }
    Context.CancellableContext context = Context.current().withCancellation();
    current = context;
    context.run(() -> client.events().subscribe(SubscribeRequest.newBuilder()
        .addFilters("topic==\"/tasks/exit\"").addFilters("topic==\"/tasks/oom\"").build(), new Observer()));
    if (again) {
      Thread.startVirtualThread(listener::resubscribed);
    }
  }

  private final class Observer implements StreamObserver<Envelope> {
    @Override
    public void onNext(Envelope envelope) {
      if (!envelope.getNamespace().equals(client.namespace())) {
        return;
      }
      Any event = envelope.getEvent();
      try {
        if (event.getTypeUrl().endsWith("TaskExit")) {
          TaskExit exit = TaskExit.parseFrom(event.getValue());
          // Exec'd processes have their own id; only the init process (id == container id) ends the sandbox.
          if (exit.getId().equals(exit.getContainerId()) || exit.getId().isEmpty()) {
            listener.exited(exit.getContainerId(), exit.getExitStatus());
          }
        } else if (event.getTypeUrl().endsWith("TaskOOM")) {
          listener.oom(TaskOOM.parseFrom(event.getValue()).getContainerId());
        }
      } catch (InvalidProtocolBufferException e) {
        LOG.atWarn().setMessage("unreadable containerd event").addKeyValue("topic", envelope.getTopic())
            .addKeyValue("type", event.getTypeUrl()).log();
      }
    }

    @Override
    public void onError(Throwable t) {
      if (closed) {
        return;
      }
      LOG.atWarn().setMessage("containerd event stream broke; resubscribing")
          .addKeyValue("socket", client.socket()).addKeyValue("error", t.toString()).log();
      timer.schedule(() -> subscribe(true), 1, TimeUnit.SECONDS);
    }

    @Override
    public void onCompleted() {
      onError(new IllegalStateException("event stream ended"));
    }
  }

  @Override
  public void close() {
    closed = true;
    current.cancel(null);
    timer.shutdownNow();
  }
}
