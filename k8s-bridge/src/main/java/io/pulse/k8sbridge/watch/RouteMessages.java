package io.pulse.k8sbridge.watch;

import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.InstanceRoute;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.k8sbridge.view.ClusterView;
import io.pulse.k8sbridge.view.FunctionView;
import io.pulse.k8sbridge.view.InstanceView;
import io.pulse.k8sbridge.view.WorkerView;
import java.util.List;

/** Applies one {@link RouteUpdate} to a {@link ClusterView}. Only REGULAR instances with an endpoint are kept. */
public final class RouteMessages {

  private RouteMessages() {}

  public static ClusterView apply(ClusterView view, RouteUpdate update) {
    List<FunctionView> upserts = update.getFunctionsList().stream().map(RouteMessages::function).toList();
    List<WorkerView> workers = update.getWorkersChanged() || update.getFullSnapshot()
        ? update.getWorkersList().stream().map(RouteMessages::worker).toList() : null;
    return view.apply(update.getFullSnapshot(), upserts, update.getRemovedFunctionsList(), workers,
        update.getVersion());
  }

  static FunctionView function(FunctionRoute route) {
    List<InstanceView> instances = route.getInstancesList().stream()
        .filter(i -> i.getKind() == InstanceKind.REGULAR)
        .filter(i -> !i.getEndpoint().getHost().isEmpty() && i.getEndpoint().getPort() > 0)
        .map(RouteMessages::instance)
        .toList();
    var resources = route.getSandbox().getResources();
    return new FunctionView(route.getName(), route.getRevision(), resources.getCpuMillis(), resources.getMemoryMib(),
        route.getSandbox().getImage(), instances);
  }

  static InstanceView instance(InstanceRoute route) {
    return new InstanceView(route.getInstanceId(), route.getWorkerId(), route.getEndpoint().getHost(),
        route.getEndpoint().getPort());
  }

  static WorkerView worker(WorkerDescriptor worker) {
    return new WorkerView(worker.getWorkerId(), worker.getAddress(), worker.getHostname(),
        worker.getCapacity().getCpuMillis(), worker.getCapacity().getMemoryMib(), worker.getRuntime());
  }
}
