package io.pulse.dataplane;

import io.pulse.common.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One client connection to the gateway over a plain socket: the test writes the request bytes it means (pipelined,
 * framed oddly) and reads each answer by its own framing, so that what a connection carries is seen byte for byte.
 */
final class SocketClient implements AutoCloseable {

  /** One answer: status, headers (names in lower case) and the body (de-chunked). */
  record Answer(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final InputStream in;

  SocketClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(20_000);
    in = socket.getInputStream();
  }

  void send(String bytes) throws IOException {
    socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  Answer exchange(String request) throws IOException {
    send(request);
    return read(false);
  }

  /** The next answer; {@code head}: it answers a HEAD request (no body whatever it says). */
  Answer read(boolean head) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("the gateway closed the connection");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); line != null && !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (head || status == 204 || status == 304) {
      return new Answer(status, headers, "");
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line(), 16); size > 0; size = Integer.parseInt(line(), 16)) {
        body.write(in.readNBytes(size));
        line();
      }
      line(); // the empty line after the last chunk
    } else if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else {
      body.write(in.readAllBytes());
    }
    return new Answer(status, headers, body.toString(StandardCharsets.ISO_8859_1));
  }

  /**
   * {@code request} on a connection past its first request, which Vert.x always serves (a request the gateway answers
   * itself, 404, goes first): with raw forwarding the byte-level forwarder reads {@code request}. Every answer to it
   * until the gateway closed the connection; {@code head}: they answer HEAD requests.
   */
  static List<RawHttp.Response> exchangeAfterWarmUp(int port, String request, boolean head) throws IOException {
    try (SocketClient client = new SocketClient(port)) {
      client.warmUp();
      client.send(request);
      return RawHttp.parse(client.readAll(), head);
    }
  }

  /** A request the gateway answers itself (404), so that what follows on the connection is not its first request. */
  void warmUp() throws IOException {
    Answer answer = exchange("GET /warm-up HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    if (answer.status() != 404) {
      throw new IOException("the warm-up request was answered " + answer.status() + ", not 404");
    }
  }

  /**
   * Everything until the gateway closes the connection. A reset after some bytes (the gateway closed with bytes of
   * ours unread) ends it too.
   */
  String readAll() throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.write(buffer, 0, n);
      }
    } catch (IOException e) {
      if (received.size() == 0) {
        throw e;
      }
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  /** True once the gateway closed the connection (reads its end). */
  boolean closedByPeer() throws IOException {
    return in.read() < 0;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
