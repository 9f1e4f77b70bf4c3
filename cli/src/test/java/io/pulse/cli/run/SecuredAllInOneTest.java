package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.cli.client.ApiClient;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.grpc.GrpcTransport;
import io.pulse.common.http.ListenerOptions;
import io.pulse.common.testing.TestPki;
import io.pulse.common.tls.MutualTls;
import io.pulse.common.tls.PemFiles;
import io.pulse.samples.hello.HelloCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything secured at once, end to end: mutual TLS on the internal gRPC of the worker, the data plane and the control
 * plane (a client without a certificate is refused), HTTPS with the bearer token on the REST API, HTTPS on the gateway
 * — and a function still deploys and answers.
 */
class SecuredAllInOneTest {

  @TempDir Path dir;

  @Test
  void mutualTlsInside_httpsOutside_aFunctionDeploysAndAnswers_anonymousGrpcIsRefused() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    PemFiles internal = pki.issue("internal");
    PemFiles rest = pki.issue("rest");
    PemFiles gateway = pki.issue("gateway");
    GrpcTransport.install(MutualTls.of(internal.cert(), internal.key(), pki.caCert()));
    AllInOne.Tuning tuning = AllInOne.Tuning.NONE
        .withControlPlane(c -> c.withSecurity(c.security().withRest(ListenerOptions.plain(60).withTls(rest))))
        .withDataPlane(d -> d.withGateway(ListenerOptions.plain(600).withTls(gateway)));
    try (AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dir.resolve("data"),
        "fn.localhost"), Duration.ofSeconds(60), tuning)) {
      assertThat(pulse.apiUrl()).startsWith("https://");
      assertThat(pulse.gatewayUrl()).startsWith("https://");

      // The worker registered and the data plane follows routes over mutual TLS: a deploy answers once routed.
      ApiClient api = new ApiClient(pulse.apiUrl(), pulse.apiToken(), pki.caCert());
      JsonObject spec = new JsonObject().put("name", "secured").put("command", new JsonArray(HelloCommand.argv()));
      ApiClient.Response deployed = api.json("POST", "/v1/functions", spec.encode());
      assertThat(deployed.status()).as(deployed.text()).isEqualTo(201);
      assertThat(new ApiClient(pulse.apiUrl(), null, pki.caCert()).json("GET", "/v1/functions", "").status())
          .isEqualTo(401);
      ApiClient.Response answer = new ApiClient(pulse.gatewayUrl(), null, pki.caCert())
          .send("POST", "/fn/secured/", "over tls".getBytes(), "text/plain", Duration.ofSeconds(60));
      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      assertThat(answer.text()).isEqualTo("over tls");

      // Without a client certificate (or without TLS) neither the control plane nor the worker serves a call.
      String controlPlane = "127.0.0.1:" + pulse.controlPlane().grpcPort();
      String worker = "127.0.0.1:" + pulse.worker().grpcPort();
      for (String target : new String[] {controlPlane, worker}) {
        ManagedChannel anonymous = NettyChannelBuilder.forTarget(target)
            .sslContext(GrpcSslContexts.forClient().trustManager(pki.caCert().toFile()).build()).build();
        ManagedChannel plaintext = NettyChannelBuilder.forTarget(target).usePlaintext().build();
        try {
          assertThatThrownBy(() -> ControlPlaneServiceGrpc.newBlockingStub(anonymous)
              .withDeadlineAfter(10, TimeUnit.SECONDS).getLeader(GetLeaderRequest.getDefaultInstance()))
              .as("%s without a client certificate", target).isInstanceOf(StatusRuntimeException.class);
          assertThatThrownBy(() -> WorkerServiceGrpc.newBlockingStub(plaintext)
              .withDeadlineAfter(10, TimeUnit.SECONDS).listSandboxes(ListSandboxesRequest.getDefaultInstance()))
              .as("%s over plaintext", target).isInstanceOf(StatusRuntimeException.class);
        } finally {
          GrpcChannels.close(anonymous);
          GrpcChannels.close(plaintext);
        }
      }
      // ... while a client with a certificate of the CA is served.
      ManagedChannel mutual = GrpcChannels.to(worker);
      try {
        assertThat(WorkerServiceGrpc.newBlockingStub(mutual).withDeadlineAfter(10, TimeUnit.SECONDS)
            .listSandboxes(ListSandboxesRequest.getDefaultInstance()).getWorkerId()).isNotEmpty();
      } finally {
        GrpcChannels.close(mutual);
      }
    } finally {
      GrpcTransport.reset();
    }
  }
}
