package io.pulse.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 on a bare socket, for what a well-behaved client cannot send: hostile framing, oversized headers, pipelined
 * requests. Writes the bytes as given, reads until the server closes the connection (the last request should say
 * {@code Connection: close} when the server is expected to keep it open), and splits what came back into responses.
 */
public final class RawHttp {

  /** One response; header names in lower case. */
  public record Response(int status, Map<String, List<String>> headers, String body) {

    public @Nullable String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.getFirst();
    }
  }

  private RawHttp() {}

  /** Sends {@code request} to 127.0.0.1:{@code port} and returns every response until the server closed. */
  public static List<Response> exchange(int port, String request) {
    return parse(read(port, request), false);
  }

  /** As {@link #exchange}, for one HEAD request: its response has headers only, whatever Content-Length says. */
  public static Response head(int port, String request) {
    List<Response> responses = parse(read(port, request), true);
    if (responses.size() != 1) {
      throw new AssertionError("expected one response to HEAD, got " + responses);
    }
    return responses.getFirst();
  }

  private static String read(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000); // a bound, not a wait: the server closes long before
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          received.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server kept the connection open; received so far: "
            + received.toString(StandardCharsets.ISO_8859_1), e);
      } catch (IOException e) {
        // A reset after the answers (the server closed with our bytes unread) ends the stream too.
        if (received.size() == 0) {
          throw e;
        }
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Splits {@code raw}, bytes a server sent until it closed, into responses; {@code headersOnly}: they answer HEAD
   * requests.
   */
  public static List<Response> parse(String raw, boolean headersOnly) {
    List<Response> responses = new ArrayList<>();
    int at = 0;
    while (at < raw.length()) {
      int end = raw.indexOf("\r\n\r\n", at);
      if (end < 0) {
        throw new AssertionError("incomplete response: " + raw.substring(at));
      }
      String[] lines = raw.substring(at, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
      }
      at = end + 4;
      String body = "";
      if (!headersOnly && headers.containsKey("content-length")) {
        int length = Integer.parseInt(headers.get("content-length").getFirst());
        body = raw.substring(at, at + length);
        at += length;
      } else if (!headersOnly && headers.containsKey("transfer-encoding")) {
        StringBuilder chunks = new StringBuilder();
        for (int size = chunkSize(raw, at); ; size = chunkSize(raw, at)) {
          at = raw.indexOf("\r\n", at) + 2;
          if (size == 0) {
            at += 2;
            break;
          }
          chunks.append(raw, at, at + size);
          at += size + 2;
        }
        body = chunks.toString();
      }
      responses.add(new Response(status, headers, body));
    }
    return responses;
  }

  private static int chunkSize(String raw, int at) {
    return Integer.parseInt(raw.substring(at, raw.indexOf("\r\n", at)).trim(), 16);
  }
}
