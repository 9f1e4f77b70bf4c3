package io.pulse.worker.sandbox;

import java.util.List;
import java.util.Map;

/**
 * What a runtime needs to start one sandbox of one function revision. Which of {@code image} and {@code command} a
 * runtime accepts is its own business; the spec only insists on one of them.
 *
 * @param image OCI image reference, or "" when absent
 * @param command argv; {@code ${PORT}} in any argument is replaced by the sandbox's port
 * @param port port the function listens on inside its sandbox; 0 lets the worker pick one
 * @param readinessTimeoutMs how long creation waits for the sandbox to accept connections; 0 = the worker's default
 * @param secrets what the sandbox receives as read-only files (and env); their values never reach a log
 * @param creator the creator and lease of an Emergency Instance ({@link CreatorLease#NONE} otherwise): runtimes keep
 *     it with the sandbox
 */
public record SandboxSpec(
    String function,
    long revision,
    String image,
    List<String> command,
    int port,
    Map<String, String> env,
    Resources resources,
    int readinessTimeoutMs,
    List<SecretFile> secrets,
    CreatorLease creator) {

  /** A spec without a creator lease. */
  public SandboxSpec(String function, long revision, String image, List<String> command, int port,
      Map<String, String> env, Resources resources, int readinessTimeoutMs, List<SecretFile> secrets) {
    this(function, revision, image, command, port, env, resources, readinessTimeoutMs, secrets, CreatorLease.NONE);
  }

  /** A spec without secrets. */
  public SandboxSpec(String function, long revision, String image, List<String> command, int port,
      Map<String, String> env, Resources resources, int readinessTimeoutMs) {
    this(function, revision, image, command, port, env, resources, readinessTimeoutMs, List.of(), CreatorLease.NONE);
  }

  public SandboxSpec {
    if (function.isBlank()) {
      throw new IllegalArgumentException("spec.function must not be empty");
    }
    if (revision < 0) {
      throw new IllegalArgumentException("spec.revision must be >= 0, was " + revision);
    }
    command = List.copyOf(command);
    env = Map.copyOf(env);
    secrets = List.copyOf(secrets);
    java.util.Objects.requireNonNull(creator, "creator");
    if (image.isBlank() && command.isEmpty()) {
      throw new IllegalArgumentException("spec must have an image or a command");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("spec.port must be in 0..65535, was " + port);
    }
    if (readinessTimeoutMs < 0) {
      throw new IllegalArgumentException("spec.readinessTimeoutMs must be >= 0, was " + readinessTimeoutMs);
    }
  }

  /** A spec that runs {@code command} with no image, env or resources: the common case in tests. */
  public static SandboxSpec ofCommand(String function, long revision, List<String> command) {
    return new SandboxSpec(function, revision, "", command, 0, Map.of(), Resources.NONE, 0);
  }

  public SandboxSpec withResources(Resources value) {
    return new SandboxSpec(function, revision, image, command, port, env, value, readinessTimeoutMs, secrets, creator);
  }

  public SandboxSpec withEnv(Map<String, String> value) {
    return new SandboxSpec(function, revision, image, command, port, value, resources, readinessTimeoutMs, secrets,
        creator);
  }

  public SandboxSpec withReadinessTimeoutMs(int value) {
    return new SandboxSpec(function, revision, image, command, port, env, resources, value, secrets, creator);
  }

  public SandboxSpec withSecrets(List<SecretFile> value) {
    return new SandboxSpec(function, revision, image, command, port, env, resources, readinessTimeoutMs, value,
        creator);
  }

  public SandboxSpec withCreator(CreatorLease value) {
    return new SandboxSpec(function, revision, image, command, port, env, resources, readinessTimeoutMs, secrets,
        value);
  }
}
