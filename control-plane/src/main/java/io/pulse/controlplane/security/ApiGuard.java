package io.pulse.controlplane.security;

import io.pulse.common.http.JsonErrors;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate in front of the REST API: every {@code /v1} request but {@code GET /v1/openapi.yaml} must carry
 * {@code Authorization: Bearer <token>}, else it is answered 401 before any handler runs (so nothing changes); and
 * every request that may change something (any method but GET, HEAD, OPTIONS) is audited once answered, refused or
 * not. Admin routes (/metrics, /healthz, /readyz) are mounted before it and stay open.
 */
public final class ApiGuard implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiGuard.class);
  private static final String PREFIX = "Bearer ";
  private static final String FUNCTIONS = "/v1/functions";

  private final String token;
  private final AuditLog audit;
  private final Clock clock;

  private ApiGuard(String token, AuditLog audit, Clock clock) {
    this.token = token;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Blocking (reads or writes the token file, opens the audit log). {@code dataDir} is where a token is kept when
   * {@code security} names neither a token nor a file.
   */
  public static ApiGuard open(ApiSecurity security, @Nullable Path dataDir, String replicaId) {
    String token = resolveToken(security, dataDir, replicaId);
    return new ApiGuard(token, AuditLog.open(security.auditLog()), Clock.systemUTC());
  }

  private static String resolveToken(ApiSecurity security, @Nullable Path dataDir, String replicaId) {
    if (security.token() != null) {
      return security.token();
    }
    Path file = security.tokenFile() != null ? security.tokenFile()
        : dataDir != null ? dataDir.resolve("api-token") : null;
    if (file == null) {
      LOG.atWarn().setMessage("no data directory and no --api-token-file: the REST API's token is random and known"
          + " to no one; give --api-token-file").addKeyValue("replica", replicaId).log();
      return ApiTokens.generate();
    }
    ApiTokens.Loaded loaded = ApiTokens.loadOrCreate(file);
    LOG.atInfo().setMessage(loaded.created() ? "REST API token generated" : "REST API token read")
        .addKeyValue("replica", replicaId).addKeyValue("file", file.toAbsolutePath())
        .addKeyValue("fingerprint", ApiTokens.fingerprint(loaded.token())).log();
    return loaded.token();
  }

  /** Mounts {@link #handle} on {@code /v1/*}; call after the admin routes and before the API. */
  public void mount(Router root) {
    root.route("/v1/*").handler(this::handle);
  }

  /**
   * The handler of every {@code /v1} request: arranges its audit (changes only), then lets it through
   * ({@code ctx.next()}) only with the right token.
   */
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD) && !method.equals(HttpMethod.OPTIONS)) {
      ctx.addEndHandler(ended -> audit.record(event(ctx)));
    }
    authorize(ctx);
  }

  private void authorize(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (isOpen(request)) {
      ctx.next();
      return;
    }
    String presented = presented(request);
    if (presented != null && ApiTokens.matches(token, presented)) {
      ctx.next();
      return;
    }
    request.resume(); // a refused request's body is read and dropped, so the connection stays usable
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"pulse\"");
    JsonErrors.send(ctx.response(), 401, presented == null
        ? "missing bearer token: send 'Authorization: Bearer <token>' (pulse fn: --token, $PULSE_API_TOKEN or"
            + " ~/.pulse/api-token)"
        : "invalid bearer token");
  }

  private static boolean isOpen(HttpServerRequest request) {
    return (request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD))
        && "/v1/openapi.yaml".equals(request.path());
  }

  private static @Nullable String presented(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || header.length() <= PREFIX.length()
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    return header.substring(PREFIX.length()).strip();
  }

  private AuditEvent event(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = request.path();
    String action = request.method().name() + " " + path;
    String function = AuditNotes.function(ctx);
    if (path.equals(FUNCTIONS) && request.method().equals(HttpMethod.POST)) {
      action = "create";
    } else if (path.startsWith(FUNCTIONS + "/") && path.indexOf('/', FUNCTIONS.length() + 1) < 0) {
      if (request.method().equals(HttpMethod.PUT)) {
        action = "update";
      } else if (request.method().equals(HttpMethod.DELETE)) {
        action = "delete";
      }
      if (function == null) {
        function = path.substring(FUNCTIONS.length() + 1);
      }
    }
    String presented = presented(request);
    SocketAddress remote = request.remoteAddress();
    return new AuditEvent(clock.instant(), action, function, AuditNotes.revision(ctx),
        ctx.response().getStatusCode(), remote == null ? "unknown" : remote.hostAddress(),
        presented == null ? "none" : ApiTokens.fingerprint(presented));
  }

  /** Blocking: flushes and closes the audit file. */
  @Override
  public void close() {
    audit.close();
  }
}
