package io.pulse.controlplane.state;

import io.pulse.controlplane.registry.FunctionSpec;

/** A change to the registry, as the one writer receives it. */
public sealed interface RegistryCommand {

  String name();

  record Create(FunctionSpec spec) implements RegistryCommand {
    @Override
    public String name() {
      return spec.name();
    }
  }

  record Update(FunctionSpec spec) implements RegistryCommand {
    @Override
    public String name() {
      return spec.name();
    }
  }

  record Delete(String name) implements RegistryCommand {}
}
