package io.pulse.cli.client;

import io.pulse.common.tls.PemTrust;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** A blocking HTTP client for the command line: one request, one answer, errors as messages a person can act on. */
public final class ApiClient {

  private final HttpClient http;
  private final URI base;
  private final @Nullable String token;

  /** No token, the JDK's trusted CAs (the gateway; a REST API that answers 401 without a token). */
  public ApiClient(String baseUrl) {
    this(baseUrl, null, null);
  }

  /**
   * @param token sent as {@code Authorization: Bearer} on every request when not null
   * @param caCert PEM file of the CA to trust for https (a private or self-signed certificate); null: the JDK's
   */
  public ApiClient(String baseUrl, @Nullable String token, @Nullable Path caCert) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.token = token;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (caCert != null) {
      try {
        builder.sslContext(PemTrust.sslContext(caCert));
      } catch (RuntimeException e) {
        throw new CliException(e.getMessage());
      }
    }
    this.http = builder.build();
  }

  public Response send(String method, String path, byte[] body, String contentType, Duration timeout) {
    URI uri = base.resolve(path.startsWith("/") ? path.substring(1) : path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body.length > 0) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.body(),
          response.headers().firstValue("Content-Type").orElse(""));
    } catch (ConnectException e) {
      throw new CliException("cannot reach " + base + " (is Pulse running? start it with ./pulse up)");
    } catch (javax.net.ssl.SSLException e) {
      throw new CliException("TLS with " + base + " failed: " + e.getMessage()
          + " (a private CA: --ca-cert or $PULSE_CA_CERT)");
    } catch (IOException e) {
      throw new CliException("request to " + uri + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  /**
   * A GET whose answer is read a line at a time as it comes ({@code follow}), without a timeout; returns when the
   * server ends it. A refusal comes back as the response, nothing streamed.
   */
  public Response getLines(String path, Consumer<String> line) {
    URI uri = base.resolve(path.startsWith("/") ? path.substring(1) : path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      String contentType = response.headers().firstValue("Content-Type").orElse("");
      try (Stream<String> lines = response.body()) {
        if (response.statusCode() / 100 != 2) {
          return new Response(response.statusCode(),
              String.join("\n", lines.toList()).getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType);
        }
        lines.forEach(line);
      }
      return new Response(response.statusCode(), new byte[0], contentType);
    } catch (ConnectException e) {
      throw new CliException("cannot reach " + base + " (is Pulse running? start it with ./pulse up)");
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new CliException("request to " + uri + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  public Response json(String method, String path, String json) {
    return send(method, path, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json",
        Duration.ofSeconds(30));
  }

  public record Response(int status, byte[] body, String contentType) {

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
