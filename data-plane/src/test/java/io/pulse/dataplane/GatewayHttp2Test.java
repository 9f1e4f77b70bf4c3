package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.http.ListenerOptions;
import io.pulse.common.testing.TestPki;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Routing by Host over HTTP/2, which carries the host in {@code :authority} and has no Host header: cleartext with
 * prior knowledge ({@code curl --http2-prior-knowledge}), cleartext by upgrade from HTTP/1.1, and TLS with ALPN. Under
 * each forwarding: the byte-level forwarder carries HTTP/1.1 only and must leave HTTP/2 to Vert.x.
 */
@ParameterizedClass
@EnumSource(Forwarding.class)
class GatewayHttp2Test {

  private static final String HOST = "echo.fn.localhost";

  @TempDir Path dir;
  @Parameter Forwarding forwarding;

  @Test
  void h2cPriorKnowledge_routesByAuthority() throws Exception {
    check(c -> c, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  @Test
  void h2cUpgrade_routesByAuthority() throws Exception {
    check(c -> c, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(true));
  }

  @Test
  void h2OverTls_isNegotiatedByAlpn_andRoutesByAuthority() throws Exception {
    TestPki pki = TestPki.create(dir);
    check(c -> c.withGateway(ListenerOptions.plain(60).withTls(pki.issue("gateway"))),
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setSsl(true).setUseAlpn(true)
            // The certificate names localhost; the request names the function's host.
            .setVerifyHost(false).setTrustOptions(new PemTrustOptions().addCertPath(pki.caCert().toString())));
  }

  private void check(UnaryOperator<DataPlaneConfig> config, HttpClientOptions clientOptions) throws Exception {
    try (DataPlaneFixture fx = DataPlaneFixture.start(forwarding, config);
        RecordingBackend backend = RecordingBackend.start(fx.vertx)) {
      fx.controlPlane.upsert(route("echo", 10, instance("echo-1", backend.port())));
      fx.awaitInstances("echo", 1);
      HttpClient client = fx.vertx.createHttpClient(clientOptions);
      int port = fx.dataPlane.httpPort();

      HttpClientResponse get = await(client.request(options(port, HttpMethod.GET, "/hello?x=1"))
          .compose(request -> request.send()).compose(response -> response.body().map(b -> response)));
      assertThat(get.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(get.statusCode()).isEqualTo(200);

      // A body of unannounced length (no Content-Length: HTTP/2 frames it) still streams to the function.
      HttpClientResponse post = await(client.request(options(port, HttpMethod.POST, "/upload"))
          .compose(request -> {
            request.setChunked(true);
            request.write(Buffer.buffer("hel"));
            return request.end(Buffer.buffer("lo")).compose(v -> request.response());
          }).compose(response -> response.body().map(b -> response)));
      assertThat(post.statusCode()).isEqualTo(200);

      assertThat(backend.seenLines()).containsExactly("GET /hello?x=1", "POST /upload hello");
      assertThat(backend.seen()).extracting(RecordingBackend.Seen::forwardedHost)
          .containsOnly(HOST + ":" + port);
      assertThat(fx.rawExchanges()).as("HTTP/2 is Vert.x's").isZero();
      await(client.close());
    }
  }

  private static RequestOptions options(int port, HttpMethod method, String uri) {
    return new RequestOptions().setMethod(method).setURI(uri)
        .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1")).setHost(HOST).setPort(port);
  }
}
