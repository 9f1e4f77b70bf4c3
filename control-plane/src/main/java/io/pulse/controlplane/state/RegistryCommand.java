package io.pulse.controlplane.state;

import io.pulse.controlplane.async.Invocation;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.secrets.SealedValue;

/** A change to the registry, as the one writer receives it: to a function, a secret, a worker's drain or an async
 * invocation. */
public sealed interface RegistryCommand {

  String name();

  /** The {@link StoredEntry#key()} of the entry it changes. */
  String key();

  /** A change to a function, keyed by its name. */
  sealed interface FunctionCommand extends RegistryCommand {
    @Override
    default String key() {
      return name();
    }
  }

  /** A change to a secret; carries the value sealed, never in plaintext. */
  sealed interface SecretCommand extends RegistryCommand {
    @Override
    default String key() {
      return StoredSecret.keyOf(name());
    }
  }

  /** A change to an async invocation, keyed by its id ({@link #name()}). */
  sealed interface InvocationCommand extends RegistryCommand {
    @Override
    default String key() {
      return StoredInvocation.keyOf(name());
    }
  }

  record AcceptInvocation(Invocation invocation) implements InvocationCommand {
    @Override
    public String name() {
      return invocation.id();
    }
  }

  record ChangeInvocation(Invocation invocation) implements InvocationCommand {
    @Override
    public String name() {
      return invocation.id();
    }
  }

  record ForgetInvocation(String name) implements InvocationCommand {}

  record Create(FunctionSpec spec) implements FunctionCommand {
    @Override
    public String name() {
      return spec.name();
    }
  }

  record Update(FunctionSpec spec) implements FunctionCommand {
    @Override
    public String name() {
      return spec.name();
    }
  }

  record Delete(String name) implements FunctionCommand {}

  record CreateSecret(String name, SealedValue value) implements SecretCommand {}

  record UpdateSecret(String name, SealedValue value) implements SecretCommand {}

  record DeleteSecret(String name) implements SecretCommand {}

  /** Drains a worker (true) or resumes it (false); {@code name} is the worker id. */
  record SetDraining(String name, boolean draining) implements RegistryCommand {
    @Override
    public String key() {
      return StoredDrain.keyOf(name);
    }
  }
}
