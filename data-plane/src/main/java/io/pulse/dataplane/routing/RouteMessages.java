package io.pulse.dataplane.routing;

import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.InstanceRoute;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.WorkerDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the wire's {@link RouteUpdate} into a {@link RouteDelta}; the only place routing touches protobuf. */
final class RouteMessages {

  private static final Logger LOG = LoggerFactory.getLogger(RouteMessages.class);

  /** Used when a route leaves {@code timeout_seconds} unset (0): an invocation must end some day. */
  static final int DEFAULT_TIMEOUT_SECONDS = 300;

  private RouteMessages() {}

  static RouteDelta delta(RouteUpdate update) {
    List<Route> routes = new ArrayList<>(update.getFunctionsCount());
    for (FunctionRoute function : update.getFunctionsList()) {
      routes.add(route(function));
    }
    List<WorkerRef> workers = null;
    if (update.getWorkersChanged() || update.getFullSnapshot()) {
      workers = new ArrayList<>();
      for (WorkerDescriptor worker : update.getWorkersList()) {
        workers.add(new WorkerRef(worker.getWorkerId(), worker.getAddress(), worker.getCapacity().getCpuMillis(),
            worker.getCapacity().getMemoryMib(), worker.getEmergencyReserve().getCpuMillis(),
            worker.getEmergencyReserve().getMemoryMib()));
      }
    }
    List<WorkerLoad> loads = null;
    if (update.getWorkerLoadsCount() > 0) {
      loads = new ArrayList<>();
      for (io.pulse.api.v1.WorkerLoad load : update.getWorkerLoadsList()) {
        loads.add(new WorkerLoad(load.getWorkerId(), load.getAllocated().getCpuMillis(),
            load.getAllocated().getMemoryMib(), load.getCreating()));
      }
    }
    return new RouteDelta(update.getFullSnapshot(), routes, update.getRemovedFunctionsList(), workers, loads,
        update.getWorkerLoadsPartial() && !update.getFullSnapshot());
  }

  static Route route(FunctionRoute function) {
    List<Instance> instances = new ArrayList<>(function.getInstancesCount());
    for (InstanceRoute instance : function.getInstancesList()) {
      try {
        instances.add(new Instance(instance.getInstanceId(), instance.getEndpoint().getHost(),
            instance.getEndpoint().getPort(), instance.getWorkerId()));
      } catch (IllegalArgumentException e) {
        // One bad instance must not make the whole function unroutable.
        LOG.atWarn().setMessage("ignoring unroutable instance").addKeyValue("function", function.getName())
            .addKeyValue("reason", e.getMessage()).log();
      }
    }
    // 0 means "unset" on the wire; one slot per instance is the safe reading of a hard limit.
    int slots = function.getTargetConcurrency() > 0 ? function.getTargetConcurrency() : 1;
    int timeout = function.getTimeoutSeconds() > 0 ? function.getTimeoutSeconds() : DEFAULT_TIMEOUT_SECONDS;
    int keepAlive = function.getKeepAliveSeconds() > 0 ? function.getKeepAliveSeconds()
        : Route.DEFAULT_KEEP_ALIVE_SECONDS;
    return new Route(function.getName(), function.getRevision(), slots, timeout, instances,
        policy(function.getPolicy()), keepAlive, Math.max(0, function.getEmergencyKeepAliveMs()),
        function.hasSandbox() ? template(function.getSandbox()) : SandboxTemplate.EMPTY, function.getNoCapacity(),
        function.getReadyPoolMembersMap());
  }

  /** Unset means the documented default. */
  static ScalingPolicy policy(io.pulse.api.v1.ScalingPolicy wire) {
    return switch (wire) {
      case KPA -> ScalingPolicy.KPA;
      case EMERGENCY_ONLY -> ScalingPolicy.EMERGENCY_ONLY;
      default -> ScalingPolicy.DUAL_TRACK;
    };
  }

  static SandboxTemplate template(SandboxSpec spec) {
    return new SandboxTemplate(spec.getFunction(), spec.getRevision(), spec.getImage(), spec.getCommandList(),
        spec.getPort(), spec.getEnvMap(), spec.getResources().getCpuMillis(), spec.getResources().getMemoryMib(),
        spec.getReadinessTimeoutMs(), spec.getSecretsList(), spec.getPrewarm());
  }
}
