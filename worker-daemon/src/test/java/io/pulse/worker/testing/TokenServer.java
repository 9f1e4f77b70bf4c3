package io.pulse.worker.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token service for a registry's bearer-token auth (the protocol of docker distribution's {@code auth: token:}),
 * on 127.0.0.1 with the JDK's HTTP server: {@code GET /token?service=..&scope=..} with basic auth answers a JWT
 * (RS256) granting the requested actions, or 401 for a wrong login.
 *
 * <p>The signing key and its self-signed certificate come from the JDK's {@code keytool} (no extra library); the
 * certificate is written as PEM for the registry's {@code rootcertbundle}. docker distribution 2.8 finds a token's
 * key from the JWT header in one of two ways, both offered here: {@link KeyHint#KID}, a libtrust key id of the public
 * key (the registry computes the same id for every certificate of its bundle), or {@link KeyHint#X5C}, the
 * certificate itself, which the registry verifies against the bundle.
 */
public final class TokenServer implements AutoCloseable {

  /** How the JWT header tells the registry which key signed it. */
  public enum KeyHint { KID, X5C }

  private static final String ALIAS = "pulse-token";
  private static final char[] STORE_PASSWORD = "pulse-test".toCharArray();
  private static final long TOKEN_SECONDS = 300;

  private final HttpServer server;
  private final String user;
  private final String password;
  private final String issuer;
  private final PrivateKey key;
  private final X509Certificate certificate;
  private final Path certificatePem;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile KeyHint hint = KeyHint.KID;

  private TokenServer(HttpServer server, String user, String password, String issuer, PrivateKey key,
      X509Certificate certificate, Path certificatePem) {
    this.server = server;
    this.user = user;
    this.password = password;
    this.issuer = issuer;
    this.key = key;
    this.certificate = certificate;
    this.certificatePem = certificatePem;
  }

  /** Generates the key pair and certificate under {@code dir} and starts serving on a free port of 127.0.0.1. */
  public static TokenServer start(Path dir, String user, String password, String issuer) throws IOException {
    Path store = dir.resolve("token-key.p12");
    keytool(store);
    PrivateKey key;
    X509Certificate certificate;
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, STORE_PASSWORD);
      key = (PrivateKey) keyStore.getKey(ALIAS, STORE_PASSWORD);
      certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key keytool made: " + e, e);
    }
    Path pem;
    try {
      pem = dir.resolve("token-cert.pem");
      Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n");
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    TokenServer tokens = new TokenServer(server, user, password, issuer, key, certificate, pem);
    server.createContext("/token", tokens::handle);
    server.start();
    return tokens;
  }

  private static void keytool(Path store) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA",
        "-keysize", "2048", "-sigalg", "SHA256withRSA", "-dname", "CN=pulse test token issuer", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD))
        .redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("keytool -genkeypair failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }

  /** The URL the registry names as {@code realm} in its challenge. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The PEM certificate for the registry's {@code rootcertbundle}. */
  public Path certificatePem() {
    return certificatePem;
  }

  /** Which header field names the key in the tokens issued from now on. */
  public void keyHint(KeyHint value) {
    this.hint = value;
  }

  /** Token requests served so far, and how many of them were refused. */
  public int requests() {
    return requests.get();
  }

  public int refused() {
    return refused.get();
  }

  /**
   * The key id docker distribution computes for a public key (libtrust's): SHA-256 of the key's DER
   * SubjectPublicKeyInfo, the first 30 bytes in base32 without padding, in groups of four joined by ':'.
   */
  public static String libtrustKeyId(PublicKey publicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      String encoded = base32(java.util.Arrays.copyOf(digest, 30));
      List<String> groups = new ArrayList<>();
      for (int i = 0; i < encoded.length(); i += 4) {
        groups.add(encoded.substring(i, Math.min(i + 4, encoded.length())));
      }
      return String.join(":", groups);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 4648 base32 without padding (the JDK has none). */
  static String base32(byte[] bytes) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /**
   * A token for {@code audience} (the registry's {@code service}) granting {@code actions} on a repository: what
   * {@code /token} answers, and what a test uses directly to push its images.
   */
  public String mint(String subject, String audience, String repository, List<String> actions) {
    return mint(subject, audience, new JsonArray().add(new JsonObject().put("type", "repository")
        .put("name", repository).put("actions", new JsonArray(actions))));
  }

  private String mint(String subject, String audience, JsonArray access) {
    long now = Instant.now().getEpochSecond();
    JsonObject header = new JsonObject().put("typ", "JWT").put("alg", "RS256");
    try {
      if (hint == KeyHint.KID) {
        header.put("kid", libtrustKeyId(certificate.getPublicKey()));
      } else {
        header.put("x5c", new JsonArray().add(Base64.getEncoder().encodeToString(certificate.getEncoded())));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    // docker distribution 2.8 reads "aud" as one string, not an array.
    JsonObject claims = new JsonObject().put("iss", issuer).put("sub", subject).put("aud", audience)
        .put("exp", now + TOKEN_SECONDS).put("nbf", now - 5).put("iat", now).put("jti", UUID.randomUUID().toString())
        .put("access", access);
    String signingInput = base64Url(header.encode()) + "." + base64Url(claims.encode());
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        refused.incrementAndGet();
        respond(exchange, 401, new JsonObject().put("errors", new JsonArray().add(new JsonObject()
            .put("code", "UNAUTHORIZED").put("message", "wrong user or password"))));
        return;
      }
      String service = "";
      JsonArray access = new JsonArray();
      String query = exchange.getRequestURI().getRawQuery();
      for (String pair : query == null ? new String[0] : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (name.equals("service")) {
          service = value;
        } else if (name.equals("scope")) {
          // type:name:actions, where the name may hold ':' (a registry host with a port)
          int first = value.indexOf(':');
          int last = value.lastIndexOf(':');
          if (first > 0 && last > first) {
            access.add(new JsonObject().put("type", value.substring(0, first))
                .put("name", value.substring(first + 1, last))
                .put("actions", new JsonArray(List.of((Object[]) value.substring(last + 1).split(",")))));
          }
        }
      }
      String token = mint(user, service, access);
      respond(exchange, 200, new JsonObject().put("token", token).put("access_token", token)
          .put("expires_in", TOKEN_SECONDS).put("issued_at", Instant.now().toString()));
    }
  }

  private static void respond(HttpExchange exchange, int status, JsonObject body) throws IOException {
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
