package io.pulse.controlplane.secrets;

import io.pulse.controlplane.registry.FunctionSpec;
import java.util.List;

/** What a sandbox spec is built with: the values of the secrets a function names. */
@FunctionalInterface
public interface SecretValues {

  /** A function without secrets needs nothing; one with secrets cannot be opened here. */
  SecretValues NONE = spec -> {
    if (!spec.secrets().isEmpty()) {
      throw new SecretNotFoundException(spec.secrets().getFirst().name());
    }
    return List.of();
  };

  /**
   * The values of {@code spec.secrets()}, in order.
   *
   * @throws SecretNotFoundException a secret missing here (deleted meanwhile, not replicated yet)
   * @throws SecretCipher.SecretKeyException a value this replica's key ring cannot open
   */
  List<OpenedSecret> open(FunctionSpec spec);
}
