package io.pulse.controlplane.secrets;

import io.vertx.core.Future;
import java.util.Map;

/**
 * Where sealed secrets are kept: the function registry's own writer and store, so that secrets are durable on a
 * majority before a write is acknowledged, exactly as registrations are. Reads serve a snapshot and never block.
 */
public interface SecretRegistry {

  /** Fails with {@link SecretExistsException} when the name is taken. */
  Future<SecretRecord> createSecret(String name, SealedValue value);

  /** Fails with {@link SecretNotFoundException}. */
  Future<SecretRecord> updateSecret(String name, SealedValue value);

  /** Answers what it was; fails with {@link SecretNotFoundException} or {@link SecretInUseException}. */
  Future<SecretRecord> deleteSecret(String name);

  /** Every live secret by name; an immutable snapshot. */
  Map<String, SecretRecord> secrets();
}
