package io.pulse.common.grpc;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.pulse.common.tls.MutualTls;
import java.io.File;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * The transport security of this process's internal gRPC: plaintext, or mutual TLS. One process runs one component
 * (or, with {@code pulse up}, several that trust each other), so the choice is made once, at start, from the
 * component's flags ({@link #install}); {@link GrpcServers} and {@link GrpcChannels} read it when they build a server
 * or a channel. The installed value is immutable and swapped by one volatile write; tests that install one reset it.
 */
public final class GrpcTransport {

  private static volatile GrpcTransport current = new GrpcTransport(null, null, null);

  private final @Nullable MutualTls tls;
  private final @Nullable SslContext server;
  private final @Nullable SslContext client;

  private GrpcTransport(@Nullable MutualTls tls, @Nullable SslContext server, @Nullable SslContext client) {
    this.tls = tls;
    this.server = server;
    this.client = client;
  }

  /**
   * Makes every gRPC server and channel this process builds from now on use mutual TLS with these files (null:
   * plaintext). Reads and checks the files now, so a bad key or certificate fails the start, naming the file.
   */
  public static void install(@Nullable MutualTls tls) {
    current = tls == null ? new GrpcTransport(null, null, null) : build(tls);
  }

  /** Back to plaintext (tests). */
  public static void reset() {
    install(null);
  }

  /** The installed mutual TLS, null when plaintext. */
  public static @Nullable MutualTls mutualTls() {
    return current.tls;
  }

  static @Nullable SslContext serverContext() {
    return current.server;
  }

  static @Nullable SslContext clientContext() {
    return current.client;
  }

  private static GrpcTransport build(MutualTls tls) {
    File cert = tls.identity().cert().toFile();
    File key = tls.identity().key().toFile();
    File ca = tls.ca().toFile();
    try {
      SslContext server = GrpcSslContexts.forServer(cert, key).trustManager(ca).clientAuth(ClientAuth.REQUIRE)
          .build();
      SslContext client = GrpcSslContexts.forClient().trustManager(ca).keyManager(cert, key).build();
      return new GrpcTransport(tls, server, client);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use the gRPC TLS files (cert " + cert + ", key " + key + ", ca "
          + ca + "): " + e.getMessage(), e);
    }
  }
}
