package io.pulse.controlplane.security;

import io.pulse.common.http.ListenerOptions;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How the REST API is protected.
 *
 * @param token the bearer token itself (tests, the all-in-one); wins over {@code tokenFile}
 * @param tokenFile the token is this file's first line; made (random, mode 0600) when the file does not exist. Null:
 *     {@code <data-dir>/api-token}, same rule; without a data directory, a random token only this process knows
 * @param auditLog file that gets one JSON line per change (besides the {@code pulse.audit} logger); null: the logger
 *     only
 * @param rest TLS, header limit and idle timeout of the REST listener
 * @param secretsKeyFile the AES key ring that seals secrets at rest; made (one random key, mode 0600) when absent.
 *     Null: {@code <data-dir>/secrets.key}, same rule; without a data directory, a random key only this process knows
 * @param peerCa with TLS on {@code rest}: the CA (PEM) that signed the other replicas' REST certificates, by which a
 *     follower checks the leader before forwarding a write to it. Null: the JVM's default trust store
 */
public record ApiSecurity(@Nullable String token, @Nullable Path tokenFile, @Nullable Path auditLog,
    ListenerOptions rest, @Nullable Path secretsKeyFile, @Nullable Path peerCa) {

  /** Idle timeout of the REST listener: a registration answers within a few seconds. */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

  public ApiSecurity {
    if (token != null && !ApiTokens.wellFormed(token)) {
      throw new IllegalArgumentException("token must be at least " + ApiTokens.MIN_LENGTH
          + " visible ASCII characters without spaces");
    }
  }

  public static ApiSecurity defaults() {
    return new ApiSecurity(null, null, null, ListenerOptions.plain(DEFAULT_IDLE_TIMEOUT_SECONDS), null, null);
  }

  public ApiSecurity withToken(@Nullable String value) {
    return new ApiSecurity(value, tokenFile, auditLog, rest, secretsKeyFile, peerCa);
  }

  public ApiSecurity withTokenFile(@Nullable Path value) {
    return new ApiSecurity(token, value, auditLog, rest, secretsKeyFile, peerCa);
  }

  public ApiSecurity withAuditLog(@Nullable Path value) {
    return new ApiSecurity(token, tokenFile, value, rest, secretsKeyFile, peerCa);
  }

  public ApiSecurity withRest(ListenerOptions value) {
    return new ApiSecurity(token, tokenFile, auditLog, value, secretsKeyFile, peerCa);
  }

  public ApiSecurity withSecretsKeyFile(@Nullable Path value) {
    return new ApiSecurity(token, tokenFile, auditLog, rest, value, peerCa);
  }

  public ApiSecurity withPeerCa(@Nullable Path value) {
    return new ApiSecurity(token, tokenFile, auditLog, rest, secretsKeyFile, value);
  }

  /** Without the token itself, which must never reach a log. */
  @Override
  public String toString() {
    return "ApiSecurity[token=" + (token == null ? "none" : "set") + ", tokenFile=" + tokenFile + ", auditLog="
        + auditLog + ", rest=" + rest + ", secretsKeyFile=" + secretsKeyFile + ", peerCa=" + peerCa + "]";
  }
}
