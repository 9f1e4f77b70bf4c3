package io.pulse.controlplane.state;

import io.pulse.controlplane.async.InvocationExistsException;
import io.pulse.controlplane.async.InvocationNotFoundException;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionExistsException;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionNotFoundException;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.pulse.controlplane.registry.SecretRef;
import io.pulse.controlplane.secrets.SecretExistsException;
import io.pulse.controlplane.secrets.SecretInUseException;
import io.pulse.controlplane.secrets.SecretNotFoundException;
import io.pulse.controlplane.secrets.SecretRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The registry's state transition, pure: the entry a command produces from the current state, stamped with {@code seq}
 * and {@code now}. Revisions start at 1 and grow by one per update that changes the spec (an update to the same spec
 * answers {@code current} itself, which the caller does not write); as in the in-memory registry, a function created
 * again after a delete starts at 1 again. {@code seq} is what orders copies. Functions and secrets check each other
 * here, under the one writer: a function may name only live secrets, and a secret a live function names is not
 * deleted.
 */
public final class RegistryApply {

  private RegistryApply() {}

  /**
   * The next entry under {@code command.key()}, given every entry by key.
   *
   * @throws InvalidFunctionSpecException a function naming a secret that does not exist (field {@code secrets[i]})
   * @throws SecretInUseException delete of a secret live functions name
   */
  public static StoredEntry next(Map<String, StoredEntry> entries, RegistryCommand command, long seq, Instant now) {
    StoredEntry current = entries.get(command.key());
    return switch (command) {
      case RegistryCommand.FunctionCommand function -> {
        if (function instanceof RegistryCommand.Create(FunctionSpec spec)) {
          checkSecretsExist(entries, spec);
        } else if (function instanceof RegistryCommand.Update(FunctionSpec spec)) {
          checkSecretsExist(entries, spec);
        }
        yield apply((StoredFunction) current, function, seq, now);
      }
      case RegistryCommand.SecretCommand secret -> applySecret(entries, (StoredSecret) current, secret, seq, now);
      // The same state again writes nothing (the caller answers with current).
      case RegistryCommand.SetDraining drain -> current instanceof StoredDrain same
          && same.draining() == drain.draining() ? current : new StoredDrain(drain.name(), seq, drain.draining());
      case RegistryCommand.InvocationCommand invocation -> applyInvocation((StoredInvocation) current, invocation,
          seq, now);
    };
  }

  /** Invocations check nothing across entries: the acceptor checked the function, the dispatcher owns the rest. */
  private static StoredInvocation applyInvocation(@Nullable StoredInvocation current,
      RegistryCommand.InvocationCommand command, long seq, Instant now) {
    boolean kept = current != null && current.invocation() != null;
    return switch (command) {
      case RegistryCommand.AcceptInvocation accept -> {
        if (current != null) { // a tombstone too: an id is never used twice (ids are random, see Acceptor)
          throw new InvocationExistsException(accept.name());
        }
        yield StoredInvocation.live(seq, accept.invocation());
      }
      case RegistryCommand.ChangeInvocation change -> {
        if (!kept) {
          throw new InvocationNotFoundException(change.name());
        }
        yield StoredInvocation.live(seq, change.invocation());
      }
      case RegistryCommand.ForgetInvocation forget -> {
        if (!kept) {
          throw new InvocationNotFoundException(forget.name());
        }
        yield StoredInvocation.tombstone(forget.name(), seq, now);
      }
    };
  }

  /**
   * A function command on its own entry (no cross-check).
   *
   * @throws FunctionExistsException create of a live name
   * @throws FunctionNotFoundException update or delete of a missing or deleted name
   */
  public static StoredFunction apply(@Nullable StoredFunction current, RegistryCommand.FunctionCommand command,
      long seq, Instant now) {
    FunctionRecord live = current == null ? null : current.function();
    return switch (command) {
      case RegistryCommand.Create create -> {
        if (live != null) {
          throw new FunctionExistsException(create.name());
        }
        yield StoredFunction.of(seq, new FunctionRecord(create.spec(), 1, now, now));
      }
      case RegistryCommand.Update update -> {
        if (live == null) {
          throw new FunctionNotFoundException(update.name());
        }
        if (live.spec().equals(update.spec())) {
          yield current; // the same spec: no new revision, so no instance is replaced for nothing
        }
        yield StoredFunction.of(seq, new FunctionRecord(update.spec(), live.revision() + 1, live.createdAt(), now));
      }
      case RegistryCommand.Delete delete -> {
        if (live == null) {
          throw new FunctionNotFoundException(delete.name());
        }
        yield StoredFunction.tombstone(delete.name(), seq);
      }
    };
  }

  private static StoredSecret applySecret(Map<String, StoredEntry> entries, @Nullable StoredSecret current,
      RegistryCommand.SecretCommand command, long seq, Instant now) {
    SecretRecord live = current == null ? null : current.secret();
    return switch (command) {
      case RegistryCommand.CreateSecret create -> {
        if (live != null) {
          throw new SecretExistsException(create.name());
        }
        yield new StoredSecret(create.name(), seq, new SecretRecord(create.name(), 1, now, now, create.value()));
      }
      case RegistryCommand.UpdateSecret update -> {
        if (live == null) {
          throw new SecretNotFoundException(update.name());
        }
        // Always a new revision: a value is sealed under a fresh nonce, so "the same value" cannot be told apart.
        yield new StoredSecret(update.name(), seq, new SecretRecord(update.name(), live.revision() + 1,
            live.createdAt(), now, update.value()));
      }
      case RegistryCommand.DeleteSecret delete -> {
        if (live == null) {
          throw new SecretNotFoundException(delete.name());
        }
        List<String> users = usersOf(entries, delete.name());
        if (!users.isEmpty()) {
          throw new SecretInUseException(delete.name(), users);
        }
        yield new StoredSecret(delete.name(), seq, null);
      }
    };
  }

  private static void checkSecretsExist(Map<String, StoredEntry> entries, FunctionSpec spec) {
    List<SecretRef> refs = spec.secrets();
    for (int i = 0; i < refs.size(); i++) {
      String name = refs.get(i).name();
      if (!(entries.get(StoredSecret.keyOf(name)) instanceof StoredSecret secret) || secret.deleted()) {
        String field = refs.get(i).env() == null ? "secrets[" + i + "]" : "secrets[" + i + "].name";
        throw new InvalidFunctionSpecException(field, "secret '" + name + "' does not exist; create it first"
            + " (POST /v1/secrets or pulse secret create " + name + ")");
      }
    }
  }

  /** Live functions that name secret {@code name}, sorted. */
  private static List<String> usersOf(Map<String, StoredEntry> entries, String name) {
    return entries.values().stream()
        .filter(entry -> entry instanceof StoredFunction f && f.function() != null
            && f.function().spec().secrets().stream().anyMatch(ref -> ref.name().equals(name)))
        .map(StoredEntry::key)
        .sorted()
        .toList();
  }
}
