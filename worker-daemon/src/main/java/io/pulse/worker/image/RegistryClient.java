package io.pulse.worker.image;

import io.pulse.worker.image.ImagePullException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * A client of the OCI distribution API (pull only): manifests and blobs, over HTTPS, or plain HTTP for registries
 * listed as insecure. Answers a 401 challenge with basic auth or by fetching a bearer token (anonymously or with the
 * host's login) and retries once; tokens are cached per host and scope. Blocking: call it from virtual threads.
 */
public final class RegistryClient {

  /** Manifest media types we accept, most specific first. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  private static final String ACCEPT = String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** A manifest or index as fetched: its bytes, media type and digest. */
  public record Manifest(byte[] bytes, String mediaType, String digest) {}

  private final HttpClient http;
  private final Set<String> insecure;
  private final RegistryCredentials credentials;
  private final Duration requestTimeout;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  public RegistryClient(Set<String> insecureRegistries, RegistryCredentials credentials, Duration connectTimeout,
      Duration requestTimeout) {
    this.insecure = Set.copyOf(insecureRegistries);
    this.credentials = credentials;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** The manifest (or index) the reference names; {@code digestOrTag} overrides the reference's own. */
  public Manifest manifest(ImageReference ref, String digestOrTag) {
    HttpResponse<byte[]> response = send(ref, "/manifests/" + digestOrTag, ACCEPT,
        HttpResponse.BodyHandlers.ofByteArray());
    byte[] body = response.body();
    String digest = response.headers().firstValue("Docker-Content-Digest").orElse(Digests.sha256(body));
    if (digestOrTag.startsWith("sha256:") && !Digests.sha256(body).equals(digestOrTag)) {
      throw new ImagePullException(Kind.UNAVAILABLE, "registry " + ref.registry() + " sent a manifest for "
          + ref.repository() + "@" + digestOrTag + " whose digest does not match");
    }
    String mediaType = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].strip())
        .filter(t -> !t.isEmpty() && !t.equals("application/json"))
        .orElseGet(() -> Optional.ofNullable(new JsonObject(new String(body, StandardCharsets.UTF_8))
            .getString("mediaType")).orElse(OCI_MANIFEST));
    return new Manifest(body, mediaType, digest);
  }

  /** A stream of the blob's bytes; the caller closes it and checks the digest (containerd does on commit). */
  public InputStream blob(ImageReference ref, String digest) {
    return send(ref, "/blobs/" + digest, "*/*", HttpResponse.BodyHandlers.ofInputStream()).body();
  }

  private <T> HttpResponse<T> send(ImageReference ref, String path, String accept,
      HttpResponse.BodyHandler<T> handler) {
    String scheme = insecure.contains(ref.registry()) ? "http" : "https";
    URI uri = URI.create(scheme + "://" + ref.apiHost() + "/v2/" + ref.repository() + path);
    String scope = "repository:" + ref.repository() + ":pull";
    String cacheKey = ref.apiHost() + " " + scope;
    HttpResponse<T> response = exchange(uri, accept, tokens.get(cacheKey), handler);
    if (response.statusCode() == 401) {
      close(response);
      String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
      String authorization = answer(ref, challenge, scope);
      tokens.put(cacheKey, authorization);
      response = exchange(uri, accept, authorization, handler);
    }
    int status = response.statusCode();
    if (status == 200) {
      return response;
    }
    close(response);
    String what = ref.registry() + "/" + ref.repository() + path;
    if (status == 404) {
      throw new ImagePullException(Kind.NOT_FOUND, "registry has no " + what + " (HTTP 404)");
    }
    if (status == 401 || status == 403) {
      Optional<RegistryCredentials.Login> login = credentials.forHost(ref.registry());
      throw new ImagePullException(Kind.UNAUTHORIZED, "registry refused access to " + what + " (HTTP " + status
          + ")" + (login.isEmpty() ? "; no login configured for " + ref.registry()
              : "; check the login of user '" + login.get().user() + "' for " + ref.registry()));
    }
    throw new ImagePullException(Kind.UNAVAILABLE, "registry answered HTTP " + status + " for " + what);
  }

  private <T> HttpResponse<T> exchange(URI uri, String accept, @Nullable String authorization,
      HttpResponse.BodyHandler<T> handler) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", accept).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), handler);
    } catch (IOException e) {
      throw new ImagePullException(Kind.UNAVAILABLE, "registry " + uri.getAuthority() + " unreachable: "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImagePullException(Kind.UNAVAILABLE, "interrupted while talking to " + uri.getAuthority(), e);
    }
  }

  /** The Authorization header value that answers a challenge. */
  private String answer(ImageReference ref, String challenge, String defaultScope) {
    Optional<RegistryCredentials.Login> login = credentials.forHost(ref.registry());
    String lower = challenge.toLowerCase();
    if (lower.startsWith("basic")) {
      return basic(login.orElseThrow(() -> new ImagePullException(Kind.UNAUTHORIZED,
          "registry " + ref.registry() + " wants basic auth and no login is configured for it")));
    }
    if (!lower.startsWith("bearer")) {
      throw new ImagePullException(Kind.UNAUTHORIZED, "registry " + ref.registry()
          + " sent an auth challenge we do not speak: '" + challenge + "'");
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw new ImagePullException(Kind.UNAUTHORIZED, "registry " + ref.registry() + " sent a bearer challenge "
          + "without realm");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    url.append("scope=").append(enc(params.getOrDefault("scope", defaultScope)));
    if (params.containsKey("service")) {
      url.append("&service=").append(enc(params.get("service")));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(requestTimeout).GET();
    login.ifPresent(l -> request.header("Authorization", basic(l)));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ImagePullException(Kind.UNAVAILABLE, "token service " + realm + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImagePullException(Kind.UNAVAILABLE, "interrupted while fetching a token from " + realm, e);
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new ImagePullException(Kind.UNAUTHORIZED, "token service " + realm + " of registry " + ref.registry()
          + " refused " + login.map(l -> "the login of user '" + l.user() + "'")
              .orElse("an anonymous token request (no login configured for " + ref.registry() + ")")
          + " (HTTP " + status + ")");
    }
    if (status != 200) {
      throw new ImagePullException(Kind.UNAVAILABLE, "token service " + realm + " of registry " + ref.registry()
          + " answered HTTP " + status);
    }
    JsonObject body;
    try {
      body = new JsonObject(response.body());
    } catch (io.vertx.core.json.DecodeException e) {
      throw new ImagePullException(Kind.UNAUTHORIZED, "token service " + realm + " answered with no JSON object");
    }
    String token = body.getString("token", body.getString("access_token"));
    if (token == null || token.isEmpty()) {
      throw new ImagePullException(Kind.UNAUTHORIZED, "token service " + realm + " returned no token");
    }
    return "Bearer " + token;
  }

  private static String basic(RegistryCredentials.Login login) {
    return "Basic " + Base64.getEncoder().encodeToString((login.user() + ":" + login.password())
        .getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void close(HttpResponse<?> response) {
    if (response.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException e) {
        // Nothing to do: the connection is dropped.
      }
    }
  }
}
