package io.pulse.cli.run;

import io.pulse.common.http.ListenerOptions;
import io.pulse.common.tls.PemFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** TLS, header limit and idle timeout of a public HTTP listener (REST API, gateway). */
final class ListenerFlags {

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate (chain), with"
      + " --tls-key. Absent: plain HTTP.")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert (PKCS#8 or PKCS#1).")
  Path key;

  @Option(names = "--max-header-bytes", description = "Largest request line + headers accepted; larger: 431"
      + " (default: 8192).")
  Integer maxHeaderBytes;

  @Option(names = "--idle-timeout-seconds", description = "Close a connection silent this long; 0: never"
      + " (default: 60 for the REST API, 3660 for the gateway).")
  Integer idleTimeoutSeconds;

  ListenerOptions options(int defaultIdleTimeoutSeconds) {
    return new ListenerOptions(PemFiles.of(cert, key, "--tls-cert", "--tls-key"),
        maxHeaderBytes != null ? maxHeaderBytes : ListenerOptions.DEFAULT_MAX_HEADER_BYTES,
        idleTimeoutSeconds != null ? idleTimeoutSeconds : defaultIdleTimeoutSeconds);
  }
}
