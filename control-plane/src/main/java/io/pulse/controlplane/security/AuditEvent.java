package io.pulse.controlplane.security;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One change requested of the REST API, as the audit log keeps it.
 *
 * @param time when the answer was sent
 * @param action {@code create}, {@code update}, {@code delete} (functions), else {@code METHOD PATH}
 * @param function the function concerned, when known
 * @param revision the revision created, updated to or deleted, when the change happened
 * @param status the HTTP status answered (401: no or a wrong token; nothing changed)
 * @param remote the client's address
 * @param token fingerprint of the token presented ({@link ApiTokens#fingerprint}), {@code none} without one
 */
public record AuditEvent(Instant time, String action, @Nullable String function, @Nullable Long revision, int status,
    String remote, String token) {

  /** The JSON line of the audit file. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("time", time.toString()).put("action", action);
    json.put("function", function).put("revision", revision);
    return json.put("status", status).put("remote", remote).put("token", token);
  }
}
