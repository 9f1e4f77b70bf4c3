package io.pulse.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.registry.InMemoryFunctionRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AccountingRoutesTest {

  private static final Instant AT = Instant.parse("2031-05-06T07:08:09Z");

  @Test
  void accounting_isSummarisedAtTheInjectedClocksTime(Vertx vertx) throws Exception {
    Clock clock = Clock.fixed(AT, ZoneOffset.UTC);
    HttpServer server = vertx.createHttpServer().requestHandler(RestApi.router(vertx,
            new InMemoryFunctionRegistry(clock), new FakeClusterView(), null, null, clock))
        .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    WebClient client = WebClient.create(vertx);
    try {
      JsonObject body = client.get(server.actualPort(), "localhost", "/v1/accounting").send()
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).bodyAsJsonObject();

      assertThat(body.getString("at")).isEqualTo(AT.toString());
    } finally {
      client.close();
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
