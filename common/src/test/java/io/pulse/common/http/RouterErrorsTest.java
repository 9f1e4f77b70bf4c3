package io.pulse.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterErrorsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @ParameterizedTest
  @CsvSource({
      "/v1/functions/:name, true, /v1/functions/hello, true",
      "/v1/functions/:name, true, /v1/functions/hello/, true",
      "/v1/functions/:name, true, /v1/functions/, false",
      "/v1/functions/:name, true, /v1/functions/hello/instances, false",
      "/v1/functions, true, /v1/functions, true",
      "/v1/functions, true, /v1/function, false",
      "/static/, false, /static/a/b, true",
      "/static/, false, /other/a, false"})
  void matches_followsVertxWebTemplates(String template, boolean exact, String path, boolean expected) {
    assertThat(RouterErrors.matches(template, exact, path)).isEqualTo(expected);
  }

  @Test
  void allowed_namesEveryMethodOfEveryRouteOnThePath_sorted() {
    Router router = Router.router(vertx);
    RouterErrors.readable(router, "/v1/functions/:name").handler(ctx -> {});
    router.put("/v1/functions/:name").handler(ctx -> {});
    router.delete("/v1/functions/:name").handler(ctx -> {});
    router.post("/v1/functions").handler(ctx -> {});
    router.route("/v1/*").handler(ctx -> {}); // any method: says nothing about what is allowed

    assertThat(RouterErrors.allowed(router.getRoutes(), "/v1/functions/hello")).isEqualTo("DELETE, GET, HEAD, PUT");
    assertThat(RouterErrors.allowed(router.getRoutes(), "/v1/functions")).isEqualTo("POST");
    assertThat(RouterErrors.allowed(router.getRoutes(), "/v1/nothing")).isEmpty();
  }
}
