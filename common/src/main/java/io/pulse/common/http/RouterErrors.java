package io.pulse.common.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a router answers on its own, in the one JSON error shape instead of vert.x-web's HTML and empty bodies: no
 * route (404), a known path with another method (405, with {@code Allow}), a handler that failed (500, logged), and
 * the statuses vert.x-web may pick itself (400, 413, 415). GET routes declared with {@link #readable} answer HEAD too.
 */
public final class RouterErrors {

  private static final Logger LOG = LoggerFactory.getLogger(RouterErrors.class);

  private RouterErrors() {}

  /** A route answering GET and, alike without the body (Vert.x leaves it out), HEAD. */
  public static Route readable(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  /** Installs the JSON answers on {@code router}; a caller may replace the 500 handler afterwards with its own. */
  public static void mount(Router router) {
    mount(router, router::getRoutes);
  }

  /**
   * As {@link #mount(Router)}, for a router that hands requests on to others ({@code handleContext}): their refusals
   * end up here, so {@code routes} lists theirs too, for the Allow header.
   */
  public static void mount(Router router, Supplier<? extends Collection<Route>> routes) {
    router.errorHandler(404, ctx -> JsonErrors.send(ctx.response(), 404,
        "no route for " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> {
      String allowed = allowed(routes.get(), ctx.request().path());
      if (!allowed.isEmpty()) {
        ctx.response().putHeader(HttpHeaders.ALLOW, allowed);
      }
      JsonErrors.send(ctx.response(), 405, "method " + ctx.request().method() + " is not allowed on "
          + ctx.request().path());
    });
    router.errorHandler(500, ctx -> unexpected(ctx, ctx.failure()));
    for (int status : new int[] {400, 413, 415}) {
      router.errorHandler(status, ctx -> JsonErrors.send(ctx.response(), status,
          ctx.failure() != null && ctx.failure().getMessage() != null
              ? ctx.failure().getMessage()
              : "request refused (" + status + ")"));
    }
  }

  /**
   * Answers {@code ctx} as {@code router} answers a request no route takes: 405 (with Allow) when some route serves
   * the path with other methods, else 404. For a catch-all route that hands only some paths on.
   */
  public static void noRoute(RoutingContext ctx, Router router) {
    ctx.fail(allowed(router.getRoutes(), ctx.request().path()).isEmpty() ? 404 : 405);
  }

  /** A failure nobody expected: logged with its stack, answered 500 with its message. */
  public static void unexpected(RoutingContext ctx, @Nullable Throwable cause) {
    Throwable failure = cause != null ? cause : new IllegalStateException("request failed without a cause");
    LOG.atError().setCause(failure).addKeyValue("method", ctx.request().method())
        .addKeyValue("path", ctx.request().path()).log("request failed unexpectedly");
    String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    JsonErrors.send(ctx.response(), 500, "internal error: " + detail);
  }

  /** The methods the routes serve on {@code path}, comma-separated and sorted; empty when none names it. */
  static String allowed(Collection<Route> routes, String path) {
    Set<String> methods = new TreeSet<>();
    for (Route route : routes) {
      Set<HttpMethod> served = route.methods();
      if (served != null && !served.isEmpty() && route.getPath() != null
          && matches(route.getPath(), route.isExactPath(), path)) {
        served.forEach(method -> methods.add(method.name()));
      }
    }
    return methods.stream().collect(Collectors.joining(", "));
  }

  /** vert.x-web's path templates: {@code :param} stands for one non-empty segment; a trailing slash is ignored. */
  static boolean matches(String template, boolean exact, String path) {
    List<String> want = segments(template);
    List<String> got = segments(path);
    if (exact ? got.size() != want.size() : got.size() < want.size()) {
      return false;
    }
    for (int i = 0; i < want.size(); i++) {
      String segment = want.get(i);
      if (segment.startsWith(":") ? got.get(i).isEmpty() : !segment.equals(got.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> segments(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return List.of(trimmed.split("/", -1));
  }
}
