package io.pulse.cli.client;

import io.pulse.common.tls.PemTrust;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
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
   * Checks that {@code url}, the value of {@code option}, is an http(s) URL with a host, so that a gRPC address
   * ({@code cp:9091}) or a typo is one line saying what the option takes, not a URI parser's message.
   */
  public static String requireHttpUrl(String option, String url, String what) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null
        || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw new CliException(option + " takes " + what + "'s URL, http(s)://HOST:PORT, got '" + url + "'"
          + (url.contains("://") ? "" : " (did you mean http://" + url + "?)"));
    }
    return url;
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
    return send(method, path, body, contentType, timeout, java.util.Map.of());
  }

  /** As {@link #send(String, String, byte[], String, Duration)}, with extra request headers. */
  public Response send(String method, String path, byte[] body, String contentType, Duration timeout,
      java.util.Map<String, String> headers) {
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
    headers.forEach(request::header);
    HttpResponse<byte[]> response = exchange(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    URI atLeader = method.equals("GET") ? atLeader(response) : null;
    if (atLeader != null) {
      response = exchange(request.uri(atLeader).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
    return new Response(response.statusCode(), response.body(),
        response.headers().firstValue("Content-Type").orElse(""));
  }

  /**
   * Where to ask again when a follower answered that only the leader can (503 naming it in {@code Pulse-Leader}):
   * reads that need the leader's soft state, such as instance logs. Followers forward writes themselves; a read asked
   * again changes nothing. Null when the answer is anything else or names the replica just asked.
   */
  private @Nullable URI atLeader(HttpResponse<?> response) {
    if (response.statusCode() != 503) {
      return null;
    }
    String leader = response.headers().firstValue("Pulse-Leader").orElse(null);
    if (leader == null) {
      return null;
    }
    URI asked = response.request().uri();
    URI leaderBase;
    try {
      leaderBase = new URI(leader);
    } catch (URISyntaxException e) {
      return null;
    }
    if (leaderBase.getHost() == null || (leaderBase.getHost().equals(asked.getHost())
        && leaderBase.getPort() == asked.getPort())) {
      return null;
    }
    String query = asked.getRawQuery();
    return URI.create(leaderBase.getScheme() + "://" + leaderBase.getRawAuthority() + asked.getRawPath()
        + (query == null ? "" : "?" + query));
  }

  /** Sends; every way the exchange can fail becomes one readable line (a {@link CliException}). */
  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (ConnectException e) {
      throw new CliException("cannot reach " + base + " (is Pulse running? start it with ./pulse up)");
    } catch (javax.net.ssl.SSLException e) {
      throw new CliException("TLS with " + base + " failed: " + e.getMessage()
          + " (a private CA: --ca-cert or $PULSE_CA_CERT)");
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).startsWith("parsing HTTP/1.1 status line")) {
        // What the JDK client says when the other end speaks another protocol: HTTP/2 frames from a gRPC port.
        throw new CliException(base + " does not answer HTTP/1.1 (a gRPC port? the REST API is the control plane's"
            + " --rest-port, 9090 by default; the gateway the data plane's --http-port, 8080)");
      }
      throw new CliException("request to " + request.uri() + " failed: "
          + printable(String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  /** A message as one readable line: whatever the peer sent that is not printable ASCII becomes '?'. */
  private static String printable(String message) {
    return message.replaceAll("[^\\x20-\\x7e]", "?");
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
    HttpResponse<Stream<String>> response = exchange(request.build(), HttpResponse.BodyHandlers.ofLines());
    URI atLeader = atLeader(response);
    if (atLeader != null) {
      response.body().close();
      response = exchange(request.uri(atLeader).build(), HttpResponse.BodyHandlers.ofLines());
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() / 100 != 2) {
        return new Response(response.statusCode(),
            String.join("\n", lines.toList()).getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType);
      }
      lines.forEach(line);
    } catch (java.io.UncheckedIOException e) {
      throw new CliException("reading from " + uri + " failed: " + printable(String.valueOf(e.getMessage())));
    }
    return new Response(response.statusCode(), new byte[0], contentType);
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
