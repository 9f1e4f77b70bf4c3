package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.pulse.cli.PulseCommandAccess;
import io.pulse.cli.PulseCommandAccess.Result;
import io.pulse.cli.client.CliException;
import io.pulse.common.net.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --control-plane} means the control plane's gRPC address on every command, and a wrong one is one line on
 * stderr with exit code 1 before anything starts: a URL, an HTTP/1 port (the REST API), a gRPC server that is not a
 * control plane. An address where nothing answers yet is only reported, since daemons wait for the control plane.
 * The bridge's old {@code --api} is a deprecated alias that refuses the REST API's URL saying what to pass.
 *
 * <p>A command that wrongly started its daemon would block until shut down: the timeout turns that into a failure.
 */
@Timeout(120)
class ControlPlaneFlagsTest {

  /** Stands for the REST API (or any HTTP/1.1 server): answers whatever comes with a 400, as HTTP/1.1 servers do. */
  private static ServerSocket rest;
  private static Server notAControlPlane;

  @BeforeAll
  static void start() throws Exception {
    rest = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("http1-server").start(ControlPlaneFlagsTest::answerHttp1);
    notAControlPlane = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .build().start();
  }

  @AfterAll
  static void stop() throws Exception {
    rest.close();
    notAControlPlane.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private static String restAddress() {
    return "127.0.0.1:" + rest.getLocalPort();
  }

  private static void answerHttp1() {
    while (!rest.isClosed()) {
      try (Socket socket = rest.accept()) {
        // Read what came first, answer, then read to the end: closing with bytes unread would reset the connection
        // before the client reads the answer.
        socket.getInputStream().read(new byte[1024]);
        socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        socket.shutdownOutput();
        socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException e) {
        // closed by stop(), or the client left
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "data-plane", "k8s-bridge"})
  void url_isRefusedInOneLine(String command) {
    Result result = PulseCommandAccess.run(command, "--control-plane", "http://127.0.0.1:9090");

    assertOneLine(result, "pulse: --control-plane takes a gRPC address, not a URL like 'http://127.0.0.1:9090'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "data-plane", "k8s-bridge"})
  void restApiPort_isRefusedInOneLine(String command) {
    Result result = PulseCommandAccess.run(command, "--control-plane", restAddress());

    assertOneLine(result, "pulse: --control-plane " + restAddress() + " answers HTTP/1.x, not gRPC");
  }

  @Test
  void grpcServerThatIsNotAControlPlane_isRefusedInOneLine() {
    String address = "127.0.0.1:" + notAControlPlane.getPort();

    Result result = PulseCommandAccess.run("data-plane", "--control-plane", address);

    assertOneLine(result, "pulse: --control-plane " + address + " answers HTTP/2 but is not a control plane");
  }

  @Test
  void bridgeApiAlias_givenTheRestUrl_saysToPassControlPlane() {
    Result result = PulseCommandAccess.run("k8s-bridge", "--api", "http://" + restAddress(), "--dry-run");

    assertOneLine(result, "pulse: k8s-bridge --api (deprecated) takes the control plane's gRPC address, not the REST"
        + " API's URL: pass --control-plane HOST:PORT");
  }

  @Test
  void bridgeApiAlias_givenAGrpcAddress_isAcceptedWithAWarning() throws Exception {
    int closed = closedPort();

    Result result = PulseCommandAccess.run("k8s-bridge", "--api", "127.0.0.1:" + closed, "--dry-run");

    // Accepted as --control-plane: the dry run then finds nothing there, which is one line too.
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err().lines().toList()).containsExactly(
        "pulse: k8s-bridge --api is deprecated: use --control-plane 127.0.0.1:" + closed,
        "pulse: no control plane at 127.0.0.1:" + closed + " (connection refused)");
  }

  @Test
  void bridgeApiAndControlPlaneTogether_isRefused() {
    Result result = PulseCommandAccess.run("k8s-bridge", "--api", "127.0.0.1:9091", "--control-plane",
        "127.0.0.1:9091", "--dry-run");

    assertOneLine(result, "pulse: k8s-bridge: give --control-plane only");
  }

  @Test
  void nothingListeningYet_isReportedAndLeftToTheDaemonsRetries() throws Exception {
    HostPort nobody = new HostPort("127.0.0.1", closedPort());
    StringWriter err = new StringWriter();

    ControlPlaneProbe.check("worker", List.of(nobody), false, new PrintWriter(err, true));

    assertThat(err.toString().lines().toList()).containsExactly(
        "pulse: no control plane at " + nobody + " yet (connection refused); the worker keeps trying");
  }

  @Test
  void nothingListening_endsAOneShotCommand() throws Exception {
    HostPort nobody = new HostPort("127.0.0.1", closedPort());

    assertThatThrownBy(() -> ControlPlaneProbe.check("bridge", List.of(nobody), true,
            new PrintWriter(new StringWriter())))
        .isInstanceOf(CliException.class).hasMessage("no control plane at " + nobody + " (connection refused)");
  }

  @Test
  void classify_statusesThatWaitingCannotFix_areWrongService() {
    assertThat(ControlPlaneProbe.classify(Status.UNIMPLEMENTED))
        .isInstanceOf(ControlPlaneProbe.Outcome.WrongService.class);
    assertThat(ControlPlaneProbe.classify(Status.INTERNAL.withCause(
            new IllegalStateException("First received frame was not SETTINGS. Hex dump: 485454502f"))))
        .isInstanceOf(ControlPlaneProbe.Outcome.WrongService.class);
    assertThat(ControlPlaneProbe.classify(Status.DEADLINE_EXCEEDED))
        .isEqualTo(new ControlPlaneProbe.Outcome.NotYet("no answer within 3 s"));
    assertThat(ControlPlaneProbe.classify(Status.UNAVAILABLE.withCause(new java.net.UnknownHostException("cp"))))
        .isEqualTo(new ControlPlaneProbe.Outcome.NotYet("unknown host"));
  }

  @Test
  void upWithItsGrpcPortTaken_saysWhichOptionInOneLine(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Result result = PulseCommandAccess.run("up", "--grpc-port", String.valueOf(taken.getLocalPort()),
          "--rest-port", "0", "--http-port", "0", "--no-demo", "--runtime", "fake",
          "--data-dir", dir.resolve("data").toString(), "--api-token-file", dir.resolve("token").toString());

      assertOneLine(result, "pulse: cannot listen on 127.0.0.1: " + taken.getLocalPort() + " (--grpc-port) in use");
    }
  }

  private static void assertOneLine(Result result, String start) {
    assertThat(result.code()).as(result.err()).isEqualTo(1);
    assertThat(result.err().lines().toList()).as(result.err()).hasSize(1);
    assertThat(result.err()).startsWith(start).doesNotContain("Exception");
  }

  /** A loopback port nothing listens on (it was free a moment ago and nothing here binds ports at random). */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
