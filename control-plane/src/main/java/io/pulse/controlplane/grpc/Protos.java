package io.pulse.controlplane.grpc;

import io.pulse.api.v1.HostReservation;
import io.pulse.controlplane.placement.HostReservations.Reserved;
import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.FunctionLoad;
import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.InstanceRoute;
import io.pulse.api.v1.PoolReport;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.SecretFile;
import com.google.protobuf.ByteString;
import io.pulse.api.v1.ScalingPolicy;
import io.pulse.api.v1.WorkerLoad;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.instances.ReportedSandbox;
import io.pulse.controlplane.instances.WorkerListing;
import io.pulse.controlplane.load.FunctionLoadSample;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.placement.ResourceRequest;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.routes.Route;
import io.pulse.controlplane.routes.RouteDelta;
import io.pulse.controlplane.routes.RouteInstance;
import io.pulse.controlplane.secrets.OpenedSecret;
import io.pulse.controlplane.secrets.SecretValues;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Protobuf to records and back, at the edge. Bad input fails with IllegalArgumentException naming the field. */
public final class Protos {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Protos.class);

  private Protos() {}

  /** What a worker needs to start an instance of the function's current revision (a function without secrets). */
  public static SandboxSpec sandboxSpec(FunctionRecord function, int readinessTimeoutMillis) {
    return sandboxSpec(function, readinessTimeoutMillis, SecretValues.NONE);
  }

  /**
   * What a worker needs to start an instance of the function's current revision, its secrets' values included: the
   * message must never be logged.
   *
   * @throws RuntimeException when a secret cannot be opened ({@link SecretValues#open})
   */
  public static SandboxSpec sandboxSpec(FunctionRecord function, int readinessTimeoutMillis, SecretValues secrets) {
    FunctionSpec spec = function.spec();
    SandboxSpec.Builder builder = SandboxSpec.newBuilder()
        .setFunction(spec.name())
        .setRevision(function.revision())
        .addAllCommand(spec.command())
        .setPort(spec.port())
        .putAllEnv(spec.env())
        .setResources(Resources.newBuilder().setCpuMillis(spec.resources().cpuMillis())
            .setMemoryMib(spec.resources().memoryMiB()))
        .setReadinessTimeoutMs(readinessTimeoutMillis)
        .setPrewarm(spec.scaling().prewarm());
    if (spec.image() != null) {
      builder.setImage(spec.image());
    }
    for (OpenedSecret secret : secrets.open(spec)) {
      SecretFile.Builder file = SecretFile.newBuilder().setName(secret.name())
          .setValue(ByteString.copyFrom(secret.value()));
      if (secret.env() != null) {
        file.setEnv(secret.env());
      }
      builder.addSecrets(file);
    }
    return builder.build();
  }

  public static WorkerInfo workerInfo(WorkerDescriptor descriptor) {
    if (!descriptor.hasCapacity()) {
      throw new IllegalArgumentException("worker.capacity is required");
    }
    return new WorkerInfo(descriptor.getWorkerId(), descriptor.getAddress(), descriptor.getHostname(),
        descriptor.getRuntime(), descriptor.getCapacity().getCpuMillis(), descriptor.getCapacity().getMemoryMib(),
        Math.max(0, descriptor.getEmergencyReserve().getCpuMillis()),
        Math.max(0, descriptor.getEmergencyReserve().getMemoryMib()),
        Math.max(0, descriptor.getPoolMembers()), Math.max(0, descriptor.getPoolMemoryMib()));
  }

  public static WorkerDescriptor workerDescriptor(WorkerInfo worker) {
    return WorkerDescriptor.newBuilder()
        .setWorkerId(worker.id())
        .setAddress(worker.address())
        .setHostname(worker.hostname())
        .setRuntime(worker.runtime())
        .setCapacity(Resources.newBuilder().setCpuMillis(worker.cpuMillis()).setMemoryMib(worker.memoryMiB()))
        .setEmergencyReserve(Resources.newBuilder().setCpuMillis(worker.reserveCpuMillis())
            .setMemoryMib(worker.reserveMemoryMiB()))
        .setPoolMembers(worker.poolMembers())
        .setPoolMemoryMib(worker.poolMemoryMiB())
        .build();
  }

  static List<io.pulse.controlplane.status.FunctionStatus.Pool> pools(String workerId, List<PoolReport> pools) {
    return pools.stream().map(p -> new io.pulse.controlplane.status.FunctionStatus.Pool(workerId, p.getFunction(),
        p.getRevision(), p.getTarget(), p.getReady(), p.getCreating(), p.getFailures(),
        p.getLastError().isEmpty() ? null : p.getLastError(), Math.max(0, p.getRefillMicros()))).toList();
  }

  /** @param generation as the worker stamped it; 0 from an older worker, which {@link WorkerListing} calls unknown */
  public static WorkerListing listing(long generation, List<SandboxInfo> sandboxes) {
    return new WorkerListing(generation, sandboxes.stream().map(Protos::reported).toList());
  }

  static ReportedSandbox reported(SandboxInfo info) {
    if (info.getInstanceId().isEmpty()) {
      throw new IllegalArgumentException("sandboxes.instance_id must not be empty");
    }
    // An unspecified kind is not ours to manage: treat it like an emergency sandbox, which the control plane ignores.
    ReportedSandbox.Kind kind = info.getKind() == InstanceKind.REGULAR
        ? ReportedSandbox.Kind.REGULAR : ReportedSandbox.Kind.EMERGENCY;
    ReportedSandbox.Status status = switch (info.getState()) {
      case READY -> ReportedSandbox.Status.READY;
      case EXITED -> ReportedSandbox.Status.EXITED;
      default -> ReportedSandbox.Status.STARTING;
    };
    HostPort endpoint = info.hasEndpoint() && info.getEndpoint().getPort() > 0 && !info.getEndpoint().getHost()
        .isEmpty() ? new HostPort(info.getEndpoint().getHost(), info.getEndpoint().getPort()) : null;
    ResourceRequest resources = new ResourceRequest(Math.max(0, info.getResources().getCpuMillis()),
        Math.max(0, info.getResources().getMemoryMib()));
    return new ReportedSandbox(info.getInstanceId(), info.getFunction(), info.getRevision(), kind, status, endpoint,
        info.getCreatedAtMs(), resources, info.hasExit() ? exit(info.getExit()) : null);
  }

  static ReportedSandbox.Exit exit(io.pulse.api.v1.SandboxExit exit) {
    String reason = switch (exit.getReason()) {
      case EXIT_REASON_OOM_KILLED -> "oom-killed";
      case EXIT_REASON_KILLED -> "killed";
      default -> "exited";
    };
    return new ReportedSandbox.Exit(reason, exit.getExitCode(), exit.getMessage(), exit.getExitedAtMs());
  }

  public static List<FunctionLoadSample> loadSamples(List<FunctionLoad> loads) {
    return loads.stream().map(load -> new FunctionLoadSample(load.getFunction(), load.getAverageConcurrency(),
        load.getInFlight(), load.getQueued(), load.getArrivals(), Math.max(0, load.getExecutionMicros()))).toList();
  }

  public static RouteUpdate routeUpdate(RouteDelta delta, long version, int readinessTimeoutMillis) {
    return routeUpdate(delta, version, readinessTimeoutMillis, SecretValues.NONE);
  }

  /** A route update whose sandbox specs carry the secrets' values (never log it). */
  public static RouteUpdate routeUpdate(RouteDelta delta, long version, int readinessTimeoutMillis,
      SecretValues secrets) {
    RouteUpdate.Builder builder = RouteUpdate.newBuilder()
        .setVersion(version)
        .setFullSnapshot(delta.fullSnapshot())
        .addAllRemovedFunctions(delta.removed())
        .setWorkersChanged(delta.workersChanged());
    for (Route route : delta.upserts()) {
      builder.addFunctions(functionRoute(route, readinessTimeoutMillis, secrets));
    }
    for (WorkerInfo worker : delta.workers()) {
      builder.addWorkers(workerDescriptor(worker));
    }
    if (delta.workerLoadsChanged()) {
      // Partial: only the changed workers (a zero load: nothing now). Whole: a worker left out holds nothing.
      builder.setWorkerLoadsPartial(delta.workerLoadsPartial());
      delta.workerLoads().forEach((workerId, load) -> builder.addWorkerLoads(WorkerLoad.newBuilder()
          .setWorkerId(workerId)
          .setAllocated(Resources.newBuilder().setCpuMillis(load.cpuMillis()).setMemoryMib(load.memoryMiB()))
          .setCreating(load.creating())));
      if (builder.getWorkerLoadsCount() == 0) {
        // An empty list reads as "unchanged" on the wire: say "nothing anywhere" with one empty entry.
        builder.addWorkerLoads(WorkerLoad.newBuilder().setWorkerId("").setAllocated(Resources.getDefaultInstance()));
      }
    }
    return builder.build();
  }

  static FunctionRoute functionRoute(Route route, int readinessTimeoutMillis) {
    return functionRoute(route, readinessTimeoutMillis, SecretValues.NONE);
  }

  static FunctionRoute functionRoute(Route route, int readinessTimeoutMillis, SecretValues secrets) {
    FunctionSpec spec = route.function().spec();
    FunctionRoute.Builder builder = FunctionRoute.newBuilder()
        .setName(spec.name())
        .setRevision(route.function().revision())
        .setTargetConcurrency(spec.scaling().targetConcurrency())
        .setTimeoutSeconds(spec.timeoutSeconds())
        .setPolicy(switch (route.policy()) {
          case DUAL_TRACK -> ScalingPolicy.DUAL_TRACK;
          case KPA -> ScalingPolicy.KPA;
          case EMERGENCY_ONLY -> ScalingPolicy.EMERGENCY_ONLY;
        })
        .setKeepAliveSeconds(spec.scaling().keepAliveSeconds())
        .setEmergencyKeepAliveMs(spec.scaling().emergencyKeepAliveMs())
        .setNoCapacity(route.noCapacity())
        .putAllReadyPoolMembers(route.readyPoolMembers());
    try {
      builder.setSandbox(sandboxSpec(route.function(), readinessTimeoutMillis, secrets));
    } catch (RuntimeException e) {
      // A secret this replica cannot open: the route goes without a sandbox spec (no expedited creation of it)
      // rather than without the function; the message names the secret, never a value.
      LOG.atWarn().setMessage("function routed without a sandbox spec: a secret does not open")
          .addKeyValue("function", spec.name()).addKeyValue("error", e.getMessage()).log();
    }
    for (RouteInstance instance : route.instances()) {
      builder.addInstances(InstanceRoute.newBuilder()
          .setInstanceId(instance.instanceId())
          .setEndpoint(endpoint(instance.endpoint()))
          .setWorkerId(instance.workerId())
          .setKind(InstanceKind.REGULAR));
    }
    return builder.build();
  }

  static Endpoint endpoint(HostPort hostPort) {
    return Endpoint.newBuilder().setHost(hostPort.host()).setPort(hostPort.port()).build();
  }

  /** The endpoint a worker answered; a wildcard or missing host means "the worker's own host". */
  static HostPort endpointOf(@Nullable Endpoint endpoint, WorkerInfo worker) {
    if (endpoint == null || endpoint.getPort() <= 0) {
      throw new IllegalArgumentException("sandbox.endpoint.port missing in the worker's answer");
    }
    String host = endpoint.getHost();
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
      host = HostPort.parse(worker.address()).host();
    }
    return new HostPort(host, endpoint.getPort());
  }

  /** A bridge's host reservations by host name; the message of a bad entry names the host. */
  public static Map<String, Reserved> hostReservations(List<HostReservation> hosts) {
    Map<String, Reserved> result = new HashMap<>();
    for (HostReservation host : hosts) {
      if (host.getHostname().isEmpty()) {
        throw new IllegalArgumentException("hosts[].hostname must not be empty");
      }
      try {
        result.merge(host.getHostname(),
            new Reserved(host.getReserved().getCpuMillis(), host.getReserved().getMemoryMib()),
            (a, b) -> new Reserved(a.cpuMillis() + b.cpuMillis(), a.memoryMiB() + b.memoryMiB()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("hosts[" + host.getHostname() + "]: " + e.getMessage());
      }
    }
    return result;
  }
}
