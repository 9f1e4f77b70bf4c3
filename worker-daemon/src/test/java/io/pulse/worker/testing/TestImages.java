package io.pulse.worker.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a small OCI image ourselves, without a network: one gzip layer with Debian's static busybox, a static page
 * and two CGI scripts, and pushes it to a registry over the distribution API. The image runs
 * {@code httpd -f -p $PORT -h /www}: {@code /} answers {@value #PAGE}, {@code /cgi-bin/hello} echoes its host name,
 * {@code /cgi-bin/secret} the secret file {@code db}, {@code /cgi-bin/hog} tries to hold 100 MB in a shell
 * variable (for cgroup memory tests), and {@code /cgi-bin/sleep?ms=N} answers after sleeping N ms in the sandbox
 * (busybox's {@code sleep}, no CPU burned: a trace replay's request of a given execution time; it names the
 * instance in {@code X-Pulse-Instance}, as the fake runtime does). The CGI scripts
 * answer with bare-LF header lines, as busybox passes them on.
 */
public final class TestImages {

  public static final String PAGE = "hello from containerd\n";
  public static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final String SERVE_ON_PORT_ENV = "exec httpd -f -p $PORT -h /www";

  private TestImages() {}

  public static void assumeAvailable() {
    if (Files.isExecutable(BUSYBOX) && isStatic(BUSYBOX)) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("image tests must run under CI, but /bin/busybox (busybox-static) is missing");
    }
    org.junit.jupiter.api.Assumptions.abort("image tests skipped: /bin/busybox from busybox-static is missing");
  }

  private static boolean isStatic(Path binary) {
    try {
      // A dynamically linked ELF has a PT_INTERP naming the loader; look for the loader's path in the file.
      String text = new String(Files.readAllBytes(binary), StandardCharsets.ISO_8859_1);
      return !text.contains("/lib64/ld-linux");
    } catch (IOException e) {
      return false;
    }
  }

  /** Pushes the busybox httpd image as {@code registry/repository:tag}; returns the full reference. */
  public static String pushHttpd(String registry, String repository, String tag) {
    return push(registry, repository, tag, false);
  }

  /**
   * The same files as a published image usually is: {@code httpd} on a fixed 8080 whatever {@code $PORT} says, and the
   * CGI answers with bare-LF header lines.
   */
  public static String pushFixedPortHttpd(String registry, String repository, String tag) {
    return push(registry, repository, tag, false, null, "exec httpd -f -p 8080 -h /www");
  }

  /** The same image behind an OCI index (manifest list) with an arm64 decoy entry first. */
  public static String pushHttpdIndex(String registry, String repository, String tag) {
    return push(registry, repository, tag, true);
  }

  /** As {@link #pushHttpd}, authenticating every request with an {@code Authorization} header value. */
  public static String pushHttpd(String registry, String repository, String tag, String authorization) {
    return push(registry, repository, tag, false, authorization);
  }

  private static String push(String registry, String repository, String tag, boolean asIndex) {
    return push(registry, repository, tag, asIndex, null);
  }

  private static String push(String registry, String repository, String tag, boolean asIndex,
      @org.jspecify.annotations.Nullable String authorization) {
    return push(registry, repository, tag, asIndex, authorization, SERVE_ON_PORT_ENV);
  }

  private static String push(String registry, String repository, String tag, boolean asIndex,
      @org.jspecify.annotations.Nullable String authorization, String serve) {
    try {
      TarWriter tar = new TarWriter()
          .dir("bin")
          .file("bin/busybox", 0755, Files.readAllBytes(BUSYBOX));
      for (String applet : List.of("sh", "httpd", "head", "tr", "echo", "hostname", "cat", "sleep", "printf")) {
        tar.symlink("bin/" + applet, "busybox");
      }
      tar.dir("tmp").dir("www").dir("www/cgi-bin")
          .file("www/index.html", 0644, PAGE.getBytes(StandardCharsets.UTF_8))
          .file("www/cgi-bin/hello", 0755, """
              #!/bin/sh
              echo "Content-Type: text/plain"
              echo
              echo "hello from $(hostname)"
              """.getBytes(StandardCharsets.UTF_8))
          .file("www/cgi-bin/secret", 0755, """
              #!/bin/sh
              echo "Content-Type: text/plain"
              echo
              cat /var/run/secrets/pulse/db
              """.getBytes(StandardCharsets.UTF_8))
          .file("www/cgi-bin/sleep", 0755, """
              #!/bin/sh
              ms=${QUERY_STRING#ms=}
              ms=${ms%%&*}
              case "$ms" in ''|*[!0-9]*) ms=0;; esac
              sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
              echo "Content-Type: text/plain"
              echo "X-Pulse-Instance: $PULSE_INSTANCE_ID"
              echo
              echo "slept $ms ms"
              """.getBytes(StandardCharsets.UTF_8))
          .file("www/cgi-bin/hog", 0755, """
              #!/bin/sh
              echo "Content-Type: text/plain"
              echo
              x=$(head -c 100000000 /dev/zero | tr '\\0' a)
              echo "held ${#x} bytes"
              """.getBytes(StandardCharsets.UTF_8));
      byte[] layerTar = tar.finish();
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(layerTar);
      }
      byte[] layer = gz.toByteArray();
      JsonObject config = new JsonObject()
          .put("architecture", "amd64").put("os", "linux")
          .put("config", new JsonObject()
              .put("Env", new JsonArray().add("PATH=/bin").add("PORT=8080"))
              .put("Cmd", new JsonArray().add("/bin/sh").add("-c").add(serve))
              .put("WorkingDir", "/www"))
          .put("rootfs", new JsonObject().put("type", "layers")
              .put("diff_ids", new JsonArray().add(sha256(layerTar))));
      byte[] configBytes = config.encode().getBytes(StandardCharsets.UTF_8);
      JsonObject manifest = new JsonObject()
          .put("schemaVersion", 2)
          .put("mediaType", "application/vnd.oci.image.manifest.v1+json")
          .put("config", descriptor("application/vnd.oci.image.config.v1+json", configBytes))
          .put("layers", new JsonArray().add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)));
      byte[] manifestBytes = manifest.encode().getBytes(StandardCharsets.UTF_8);
      HttpClient http = HttpClient.newHttpClient();
      String auth = authorization;
      String base = "http://" + registry + "/v2/" + repository;
      uploadBlob(http, base, configBytes, auth);
      uploadBlob(http, base, layer, auth);
      if (!asIndex) {
        putManifest(http, base + "/manifests/" + tag, "application/vnd.oci.image.manifest.v1+json", manifestBytes,
            auth);
      } else {
        putManifest(http, base + "/manifests/" + sha256(manifestBytes), "application/vnd.oci.image.manifest.v1+json",
            manifestBytes, auth);
        JsonObject index = new JsonObject()
            .put("schemaVersion", 2)
            .put("mediaType", "application/vnd.oci.image.index.v1+json")
            .put("manifests", new JsonArray()
                .add(descriptor("application/vnd.oci.image.manifest.v1+json", manifestBytes)
                    .put("platform", new JsonObject().put("os", "linux").put("architecture", "arm64")))
                .add(descriptor("application/vnd.oci.image.manifest.v1+json", manifestBytes)
                    .put("platform", new JsonObject().put("os", "linux").put("architecture", "amd64"))));
        putManifest(http, base + "/manifests/" + tag, "application/vnd.oci.image.index.v1+json",
            index.encode().getBytes(StandardCharsets.UTF_8), auth);
      }
      return registry + "/" + repository + ":" + tag;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject descriptor(String mediaType, byte[] bytes) {
    return new JsonObject().put("mediaType", mediaType).put("digest", sha256(bytes)).put("size", bytes.length);
  }

  private static HttpRequest.Builder request(URI uri, @org.jspecify.annotations.Nullable String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private static void uploadBlob(HttpClient http, String base, byte[] blob,
      @org.jspecify.annotations.Nullable String authorization) throws IOException, InterruptedException {
    HttpResponse<String> start = http.send(request(URI.create(base + "/blobs/uploads/"), authorization)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (start.statusCode() != 202) {
      throw new IllegalStateException("upload start: HTTP " + start.statusCode() + " " + start.body());
    }
    String location = start.headers().firstValue("Location").orElseThrow();
    URI uri = URI.create(base).resolve(location);
    String put = uri + (uri.getQuery() == null ? "?" : "&") + "digest=" + sha256(blob);
    HttpResponse<String> done = http.send(request(URI.create(put), authorization)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 201) {
      throw new IllegalStateException("upload: HTTP " + done.statusCode() + " " + done.body());
    }
  }

  private static void putManifest(HttpClient http, String url, String mediaType, byte[] body,
      @org.jspecify.annotations.Nullable String authorization) throws IOException, InterruptedException {
    HttpResponse<String> done = http.send(request(URI.create(url), authorization)
        .header("Content-Type", mediaType)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 201) {
      throw new IllegalStateException("manifest " + url + ": HTTP " + done.statusCode() + " " + done.body());
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
