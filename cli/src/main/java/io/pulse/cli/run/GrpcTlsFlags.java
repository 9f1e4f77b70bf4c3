package io.pulse.cli.run;

import io.pulse.common.grpc.GrpcTransport;
import io.pulse.common.tls.MutualTls;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --grpc-tls-cert/--grpc-tls-key/--grpc-tls-ca}: mutual TLS on this process's internal gRPC. */
final class GrpcTlsFlags {

  @Option(names = "--grpc-tls-cert", paramLabel = "PEM",
      description = "Mutual TLS for internal gRPC: this component's certificate (with --grpc-tls-key and"
          + " --grpc-tls-ca; all three or none: plaintext).")
  Path cert;

  @Option(names = "--grpc-tls-key", paramLabel = "PEM", description = "Mutual TLS: this component's private key.")
  Path key;

  @Option(names = "--grpc-tls-ca", paramLabel = "PEM",
      description = "Mutual TLS: the CA that signed every component's certificate; peers without one are refused.")
  Path ca;

  /** Makes every gRPC server and channel of this process use what the flags say (before anything starts). */
  void install() {
    GrpcTransport.install(MutualTls.of(cert, key, ca));
  }
}
