package io.pulse.k8sbridge.reservations;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.HostReservations;
import io.pulse.api.v1.Resources;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.k8sbridge.view.ClusterView;
import io.pulse.k8sbridge.view.WorkerView;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every period, lists all Nodes and Pods, computes the host reservations of the workers' hosts and sends them to the
 * control plane the bridge follows. A control plane that does not implement the call yet (UNIMPLEMENTED) is logged
 * once; every other failure is logged at debug and retried on the next period. Runs on its own virtual thread.
 */
public final class ReservationReporter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReservationReporter.class);

  private final KubernetesClient client;
  private final String owner;
  private final String bridgeId;
  private final Supplier<ClusterView> view;
  private final Supplier<@Nullable String> leader;
  private final Duration period;
  private volatile boolean closed;
  private volatile boolean unimplementedLogged;
  private volatile @Nullable List<HostReservation> lastSent;
  private volatile @Nullable Thread thread;
  private Set<String> warnedStrays = Set.of();
  private @Nullable ManagedChannel channel;
  private @Nullable String channelTarget;

  public ReservationReporter(KubernetesClient client, String owner, String bridgeId, Supplier<ClusterView> view,
      Supplier<@Nullable String> leader, Duration period) {
    this.client = client;
    this.owner = owner;
    this.bridgeId = bridgeId;
    this.view = view;
    this.leader = leader;
    this.period = period;
  }

  public void start() {
    thread = Thread.ofVirtual().name("pulse-k8s-reservations").start(this::run);
  }

  /** The last report the control plane accepted, or null. */
  public @Nullable List<HostReservation> lastSent() {
    return lastSent;
  }

  @Override
  public void close() {
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (channel != null) {
      GrpcChannels.close(channel);
    }
  }

  private void run() {
    while (!closed) {
      try {
        reportOnce();
      } catch (KubernetesClientException e) {
        LOG.atDebug().setMessage("cannot list nodes and pods for host reservations")
            .addKeyValue("status", e.getCode()).addKeyValue("error", String.valueOf(e.getMessage())).log();
      } catch (RuntimeException e) {
        LOG.atWarn().setMessage("host reservation report failed").addKeyValue("error", e.toString()).log();
      }
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void reportOnce() {
    ClusterView current = view.get();
    String target = leader.get();
    if (!current.synced() || target == null) {
      return;
    }
    List<String> hosts = current.workers().values().stream().map(WorkerView::hostname).filter(h -> !h.isEmpty())
        .toList();
    List<Node> nodes = client.nodes().list().getItems();
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    warnOfStrays(StrayPods.find(nodes, pods, owner));
    List<HostReservation> reservations = HostReservationCalculator.compute(hosts, nodes, pods, owner);
    HostReservations.Builder report = HostReservations.newBuilder().setBridgeId(bridgeId);
    reservations.forEach(r -> report.addHostsBuilder().setHostname(r.hostname())
        .setReserved(Resources.newBuilder().setCpuMillis(r.cpuMillis()).setMemoryMib(r.memoryMiB())));
    try {
      ControlPlaneServiceGrpc.newBlockingStub(channel(target)).withDeadlineAfter(5, TimeUnit.SECONDS)
          .reportHostReservations(report.build());
      lastSent = reservations;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        if (!unimplementedLogged) {
          unimplementedLogged = true;
          LOG.atInfo().setMessage("the control plane does not take host reservations yet; reporting anyway")
              .addKeyValue("control_plane", target).log();
        }
      } else {
        LOG.atDebug().setMessage("host reservation report refused").addKeyValue("control_plane", target)
            .addKeyValue("status", e.getStatus().getCode()).log();
      }
    }
  }

  /** Once per pod: a pod on a virtual Node stays Pending forever and reserves nothing. */
  private void warnOfStrays(List<StrayPods.Stray> strays) {
    Set<String> current = new HashSet<>();
    for (StrayPods.Stray stray : strays) {
      current.add(stray.uid());
      if (!warnedStrays.contains(stray.uid())) {
        LOG.atWarn().setMessage("a pod not of the bridge is bound to a Pulse virtual node: nothing runs it and it is "
                + "no host reservation; place it on the host's own node (pod affinity on kubernetes.io/hostname), "
                + "or install deploy/k8s/admission-policy.yaml to refuse such pods")
            .addKeyValue("pod", stray.namespace() + "/" + stray.name()).addKeyValue("node", stray.node()).log();
      }
    }
    warnedStrays = current;
  }

  private ManagedChannel channel(String target) {
    if (channel == null || !target.equals(channelTarget)) {
      if (channel != null) {
        GrpcChannels.close(channel);
      }
      channel = GrpcChannels.plaintext(target);
      channelTarget = target;
    }
    return channel;
  }
}
