package io.pulse.controlplane.routes;

import io.pulse.controlplane.registry.FunctionRecord;
import java.util.Comparator;
import java.util.List;

/** A function as data planes see it: its current record and its ready instances (any revision), sorted by id. */
public record Route(FunctionRecord function, List<RouteInstance> instances) {

  public Route {
    instances = instances.stream().sorted(Comparator.comparing(RouteInstance::instanceId)).toList();
  }

  public String name() {
    return function.name();
  }
}
