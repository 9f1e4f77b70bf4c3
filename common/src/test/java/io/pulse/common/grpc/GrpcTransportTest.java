package io.pulse.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.api.v1.LeaderInfo;
import io.pulse.common.net.HostPort;
import io.pulse.common.testing.TestPki;
import io.pulse.common.tls.MutualTls;
import io.pulse.common.tls.PemFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS on a real gRPC server and channels built by {@link GrpcServers} and {@link GrpcChannels}. */
class GrpcTransportTest {

  @TempDir Path dir;
  private Server server;

  @AfterEach
  void tearDown() {
    GrpcTransport.reset();
    if (server != null) {
      GrpcServers.stop(server, 100);
    }
  }

  @Test
  void install_mutualTls_clientWithCertificateIsServed_clientsWithoutAreRefused() throws Exception {
    TestPki pki = TestPki.create(dir);
    PemFiles serverIdentity = pki.issue("server");
    GrpcTransport.install(MutualTls.of(serverIdentity.cert(), serverIdentity.key(), pki.caCert()));
    server = GrpcServers.start(new HostPort("127.0.0.1", 0), List.of(new Leader()));
    String target = "127.0.0.1:" + server.getPort();

    ManagedChannel mutual = GrpcChannels.to(target);
    try {
      assertThat(call(mutual).getLeaderId()).isEqualTo("cp-test");
    } finally {
      GrpcChannels.close(mutual);
    }

    // Trusts the server but presents no certificate of its own.
    ManagedChannel anonymous = NettyChannelBuilder.forTarget(target)
        .sslContext(GrpcSslContexts.forClient().trustManager(pki.caCert().toFile()).build()).build();
    ManagedChannel plaintext = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      assertThatThrownBy(() -> call(anonymous)).isInstanceOf(StatusRuntimeException.class);
      assertThatThrownBy(() -> call(plaintext)).isInstanceOf(StatusRuntimeException.class);
    } finally {
      GrpcChannels.close(anonymous);
      GrpcChannels.close(plaintext);
    }
  }

  @Test
  void of_partialFlags_areRefusedNamingTheMissingOnes() {
    assertThatThrownBy(() -> MutualTls.of(dir.resolve("a.crt"), null, null))
        .hasMessageContaining("--grpc-tls-key").hasMessageContaining("--grpc-tls-ca");
    assertThat(MutualTls.of(null, null, null)).isNull();
  }

  private static LeaderInfo call(ManagedChannel channel) {
    return ControlPlaneServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .getLeader(GetLeaderRequest.getDefaultInstance());
  }

  private static final class Leader extends ControlPlaneServiceGrpc.ControlPlaneServiceImplBase {
    @Override
    public void getLeader(GetLeaderRequest request, StreamObserver<LeaderInfo> observer) {
      observer.onNext(LeaderInfo.newBuilder().setKnown(true).setLeaderId("cp-test").build());
      observer.onCompleted();
    }
  }
}
