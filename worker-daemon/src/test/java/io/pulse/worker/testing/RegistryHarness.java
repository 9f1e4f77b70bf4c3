package io.pulse.worker.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private OCI registry on 127.0.0.1 (Debian's {@code docker-registry}) with its own config and temporary storage,
 * anonymous and plain HTTP. Tests push images they wrote themselves ({@link TestImages}) and the worker pulls them.
 */
public final class RegistryHarness implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final Process process;

  private RegistryHarness(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  public static void assumeAvailable() {
    if (ContainerdHarness.which("docker-registry").isPresent()) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("registry tests must run under CI, but docker-registry is not installed");
    }
    Assumptions.abort("registry tests skipped: docker-registry is not installed (apt-get install docker-registry)");
  }

  public static RegistryHarness start() throws IOException {
    return start(dir -> "");
  }

  /**
   * A registry that wants basic auth from an htpasswd file with one bcrypt entry (docker-registry reads bcrypt only),
   * made by {@code htpasswd -B} (apache2-utils) when installed, else by python3's crypt (libxcrypt does bcrypt).
   */
  public static RegistryHarness startWithBasicAuth(String user, String password) throws IOException {
    String entry = user + ":" + bcrypt(password);
    return start(dir -> {
      Path file = dir.resolve("htpasswd");
      Files.writeString(file, entry + "\n");
      return """
          auth:
            htpasswd:
              realm: pulse-test
              path: %s
          """.formatted(file);
    });
  }

  /**
   * A registry that wants bearer tokens: its 401 challenge names {@code tokens}' realm, and it accepts JWTs for
   * {@code service} from {@code issuer} signed by the key of {@code tokens}' certificate ({@code rootcertbundle}).
   */
  public static RegistryHarness startWithTokenAuth(TokenServer tokens, String service, String issuer)
      throws IOException {
    return start(dir -> """
        auth:
          token:
            realm: %s
            service: %s
            issuer: %s
            rootcertbundle: %s
        """.formatted(tokens.realm(), service, issuer, tokens.certificatePem()));
  }

  /** What a test adds to the registry's configuration (a YAML block), given the registry's directory. */
  @FunctionalInterface
  public interface ConfigBlock {
    String write(Path dir) throws IOException;
  }

  /** A registry with an extra configuration block (e.g. {@code auth:}). */
  public static RegistryHarness start(ConfigBlock extra) throws IOException {
    Path dir = Files.createTempDirectory("pulse-registry-");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("config.yml");
    Files.writeString(config, """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
        """.formatted(dir.resolve("storage"), port) + extra.write(dir));
    Process process = new ProcessBuilder(ContainerdHarness.which("docker-registry").orElseThrow().toString(),
        "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile())
        .start();
    RegistryHarness harness = new RegistryHarness(dir, port, process);
    try {
      await("registry on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> accepts(port) || !process.isAlive());
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
    } catch (RuntimeException e) {
      harness.close();
      throw e;
    }
    return harness;
  }

  /** A bcrypt hash of the password, from whichever tool this machine has. */
  static String bcrypt(String password) throws IOException {
    List<List<String>> tools = List.of(
        List.of("htpasswd", "-nbBC", "5", "x", password),
        List.of("python3", "-W", "ignore", "-c", "import crypt, sys; print('x:' + crypt.crypt(sys.argv[1], "
            + "crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=32)))", password));
    StringBuilder tried = new StringBuilder();
    for (List<String> tool : tools) {
      if (ContainerdHarness.which(tool.getFirst()).isEmpty()) {
        tried.append(tool.getFirst()).append(": not installed; ");
        continue;
      }
      Process process = new ProcessBuilder(tool).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      String line = out.lines().filter(l -> l.startsWith("x:$2")).findFirst().orElse("");
      if (process.exitValue() == 0 && !line.isEmpty()) {
        return line.substring(2);
      }
      tried.append(tool.getFirst()).append(": ").append(out.strip()).append("; ");
    }
    throw new IllegalStateException("no bcrypt tool (apt-get install apache2-utils, or python3 with crypt): "
        + tried);
  }

  /** {@code 127.0.0.1:port}: the registry part of image references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ContainerdHarness.deleteTree(dir);
  }
}
