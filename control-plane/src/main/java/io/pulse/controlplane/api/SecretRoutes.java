package io.pulse.controlplane.api;

import io.pulse.common.http.RouterErrors;
import io.pulse.controlplane.secrets.SecretNotFoundException;
import io.pulse.controlplane.secrets.SecretRecord;
import io.pulse.controlplane.secrets.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * /v1/secrets: create, update, list, read and delete secrets. Every answer describes a secret (name, revision, times)
 * and none carries its value; writes answer once the registry made them durable.
 */
final class SecretRoutes {

  private static final Set<String> CREATE_FIELDS = Set.of("name", "value");
  private static final Set<String> UPDATE_FIELDS = Set.of("name", "value");

  private final @Nullable Secrets secrets;

  /** {@code secrets} null: this control plane keeps no secrets (an in-memory registry); every call is a 501. */
  SecretRoutes(@Nullable Secrets secrets) {
    this.secrets = secrets;
  }

  void mount(Router router) {
    router.post("/v1/secrets").handler(this::create);
    RouterErrors.readable(router, "/v1/secrets").handler(this::list);
    RouterErrors.readable(router, "/v1/secrets/:name").handler(this::get);
    router.put("/v1/secrets/:name").handler(this::update);
    router.delete("/v1/secrets/:name").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    Secrets s = secrets(ctx);
    if (s == null) {
      return;
    }
    JsonBody.read(ctx)
        .map(body -> known(body, CREATE_FIELDS))
        .compose(body -> s.create(body.getValue("name"), body.getValue("value")))
        .onSuccess(record -> {
          ctx.response().putHeader("Location", "/v1/secrets/" + record.name());
          Responses.json(ctx, 201, toJson(record));
        })
        .onFailure(failure -> Failures.send(ctx, failure));
  }

  private void list(RoutingContext ctx) {
    Secrets s = secrets(ctx);
    if (s == null) {
      return;
    }
    JsonArray list = new JsonArray();
    s.list().forEach(record -> list.add(toJson(record)));
    Responses.json(ctx, 200, new JsonObject().put("secrets", list));
  }

  private void get(RoutingContext ctx) {
    Secrets s = secrets(ctx);
    if (s == null) {
      return;
    }
    String name = ctx.pathParam("name");
    SecretRecord record = s.get(name);
    if (record == null) {
      Failures.send(ctx, new SecretNotFoundException(name));
    } else {
      Responses.json(ctx, 200, toJson(record));
    }
  }

  private void update(RoutingContext ctx) {
    Secrets s = secrets(ctx);
    if (s == null) {
      return;
    }
    String name = ctx.pathParam("name");
    JsonBody.read(ctx)
        .map(body -> known(body, UPDATE_FIELDS))
        .map(body -> {
          Object bodyName = body.getValue("name");
          if (bodyName != null && !name.equals(bodyName)) {
            throw new ApiException(400, "name in the body does not match '" + name + "' in the path", "name");
          }
          return body;
        })
        .compose(body -> s.update(name, body.getValue("value")))
        .onSuccess(record -> Responses.json(ctx, 200, toJson(record)))
        .onFailure(failure -> Failures.send(ctx, failure));
  }

  private void delete(RoutingContext ctx) {
    Secrets s = secrets(ctx);
    if (s == null) {
      return;
    }
    s.delete(ctx.pathParam("name"))
        .onSuccess(record -> Responses.json(ctx, 200, toJson(record)))
        .onFailure(failure -> Failures.send(ctx, failure));
  }

  private @Nullable Secrets secrets(RoutingContext ctx) {
    if (secrets == null) {
      Failures.send(ctx, new ApiException(501, "this control plane keeps no secrets (it runs over an in-memory"
          + " registry)"));
    }
    return secrets;
  }

  /** Unknown fields are refused (a typo never passes silently); the message never repeats a value. */
  private static JsonObject known(JsonObject body, Set<String> fields) {
    for (String key : new java.util.TreeSet<>(body.fieldNames())) {
      if (!fields.contains(key)) {
        throw new ApiException(400, "unknown field '" + key + "' (known: " + String.join(", ",
            new java.util.TreeSet<>(fields)) + ")", key);
      }
    }
    return body;
  }

  /** What the API shows of a secret: never its value. */
  static JsonObject toJson(SecretRecord record) {
    return new JsonObject()
        .put("name", record.name())
        .put("revision", record.revision())
        .put("createdAt", record.createdAt().toString())
        .put("updatedAt", record.updatedAt().toString());
  }
}
