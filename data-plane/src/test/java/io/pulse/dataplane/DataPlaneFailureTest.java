package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Instances that die or take too long, with real hello processes. Under each forwarding, on a client connection past
 * its first request (the byte-level forwarder's to carry).
 */
@ParameterizedClass
@EnumSource(Forwarding.class)
class DataPlaneFailureTest {

  private static DataPlaneFixture fx;

  @Parameter Forwarding forwarding;
  private double rawBefore;

  @BeforeParameterizedClassInvocation
  static void start(Forwarding forwarding) throws Exception {
    fx = DataPlaneFixture.start(forwarding);
    fx.awaitReady();
    fx.warmUp();
  }

  @BeforeEach
  void mark() {
    rawBefore = fx.rawExchanges();
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void instanceDies_is502WithARef_namingNeitherTheInstanceNorItsAddress() {
    try (HelloProcess hello = HelloProcess.start("doomed-1")) {
      fx.controlPlane.upsert(route("dies", 2, instance(hello.id(), hello.port())));
      fx.awaitInstances("dies", 1);
      TestHttp.Reply alive = fx.http.get("/fn/dies/");
      assertThat(alive.status()).isEqualTo(200);
      assertThat(alive.text()).contains("instance=doomed-1");

      hello.kill();
      TestHttp.Reply dead = fx.http.get("/fn/dies/");
      assertThat(dead.status()).isEqualTo(502);
      String ref = dead.error().getString("ref");
      assertThat(ref).matches("[0-9a-f]{12}");
      assertThat(dead.error().getString("message")).contains("'dies'").endsWith("(ref " + ref + ")");
      assertThat(dead.error().getString("message").replace(ref, ""))
          .doesNotContain("doomed-1").doesNotContain("127.0.0.1").doesNotContain(Integer.toString(hello.port()));
      // The slot was given back: the next attempt is answered the same way, not queued.
      assertThat(fx.http.get("/fn/dies/").status()).isEqualTo(502);
      fx.awaitLoadIdle("dies");
      fx.assertForwardedAsConfiguredSince(rawBefore);
    }
  }

  @Test
  void functionTimeout_is504() {
    try (HelloProcess hello = HelloProcess.start("slow-1")) {
      fx.controlPlane.upsert(route("slow", 1, 1, instance(hello.id(), hello.port())));
      fx.awaitInstances("slow", 1);
      TestHttp.Reply reply = fx.http.get("/fn/slow/?sleep=10000");
      assertThat(reply.status()).isEqualTo(504);
      String ref = reply.error().getString("ref");
      assertThat(reply.error().getString("message")).contains("'slow' did not answer within 1000 ms")
          .endsWith("(ref " + ref + ")");
      assertThat(reply.error().getString("message").replace(ref, ""))
          .doesNotContain("slow-1").doesNotContain("127.0.0.1").doesNotContain(Integer.toString(hello.port()));
      // The timed-out exchange released its slot: a quick request gets through.
      assertThat(fx.http.get("/fn/slow/").status()).isEqualTo(200);
      fx.awaitLoadIdle("slow");
      fx.assertForwardedAsConfiguredSince(rawBefore);
    }
  }
}
