package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.bench.driver.Haproxy;
import io.pulse.bench.driver.ProcessCpu;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm bench's HAProxy leg in front of a stand-in instance; skipped where haproxy is not installed. */
class WarmHaproxyTest {

  @TempDir Path dir;
  private Vertx vertx;
  private HttpServer instance;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    instance = vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void loadThroughHaproxy_isAnswered_andItsCpuIsRead() {
    Optional<Path> binary = Haproxy.binary();
    assumeTrue(binary.isPresent(), "haproxy is not installed: the warm bench skips its HAProxy leg");
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(4));

    try (Haproxy haproxy = Haproxy.start(binary.get(), "127.0.0.1", instance.actualPort(), dir)) {
      long before = ProcessCpu.micros(haproxy.pid()).orElseThrow();
      ClosedLoop.Tally tally = ClosedLoop.run(client, new ClosedLoop.Target("127.0.0.1", haproxy.port(), "/"), 4,
          300);

      assertThat(tally.ok()).isPositive();
      assertThat(tally.failed()).isZero();
      assertThat(ProcessCpu.micros(haproxy.pid()).orElseThrow()).isGreaterThanOrEqualTo(before);
    }
    assertThat(dir.resolve("haproxy.cfg")).content().contains("server instance 127.0.0.1:" + instance.actualPort());
  }
}
