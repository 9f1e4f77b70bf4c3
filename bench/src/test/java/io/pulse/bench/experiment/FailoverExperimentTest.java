package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FailoverExperimentTest {

  @Test
  void backgroundLoad_mustNotBeNegative() {
    assertThatThrownBy(() -> new FailoverExperiment.Options(1, List.of("java"), Path.of("out"), "c", -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--background-load");
    assertThat(new FailoverExperiment.Options(1, List.of("java"), Path.of("out"), "c", 0).backgroundClients())
        .isZero();
  }

  @Test
  void backgroundClients_loopOnTheFunction_andCountFailuresApart() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger served = new AtomicInteger();
    server.createContext("/", exchange -> {
      // Every third answer fails: the clients must count them as failures, not answers.
      int status = served.incrementAndGet() % 3 == 0 ? 503 : 200;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    FailoverExperiment.WarmClients clients = new FailoverExperiment.WarmClients(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/", 3);
    try {
      await().until(() -> clients.ok() >= 20 && clients.failures() >= 10);
    } finally {
      clients.stop();
      server.stop(0);
    }
    assertThat(clients.ok() + clients.failures()).isEqualTo(served.get());
  }
}
