package io.pulse.dataplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written HTTP/1.1 instance on loopback (a real server socket, a thread per connection) whose answer framing a
 * test chooses: the byte-level forwarder's peer. Answers {@code <method> <target> <body>} to every request, and records
 * each request's head and body.
 */
final class ScriptedInstance implements AutoCloseable {

  /** How the instance frames its answers. */
  enum Framing {
    /** Content-Length, connection kept. */
    LENGTH,
    /** Content-Length and {@code Connection: close}, then it closes. */
    LENGTH_THEN_CLOSE,
    /** Chunked, in three chunks. */
    CHUNKED,
    /** No length: the body ends when the instance closes the connection. */
    UNTIL_CLOSE,
    /** Never answers (until the test ends). */
    SILENT,
    /** Waits for {@link #release()} before answering with a Content-Length. */
    HELD,
    /**
     * Answers a connection's first request (Content-Length, kept alive) and closes it unanswered at the next: a server
     * closing idle connections, met by a request sent on one.
     */
    CLOSE_ON_NEXT,
    /** Announces ten bytes of body, sends three, and closes. */
    TRUNCATED,
    /** Content-Length and nothing else, head and body in one write: a head the gateway can pass on as it came. */
    PLAIN,
    /** As {@link #PLAIN}, with bytes past the answer in the same write: the connection is out of step. */
    STRAY
  }

  /** One request as the instance read it. */
  record Request(String head, String body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).strip();
        }
      }
      return null;
    }
  }

  private final ServerSocket server;
  private final Framing framing;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private ScriptedInstance(Framing framing) throws IOException {
    this.framing = framing;
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  static ScriptedInstance start(Framing framing) throws IOException {
    return new ScriptedInstance(framing);
  }

  int port() {
    return server.getLocalPort();
  }

  List<Request> requests() {
    return requests;
  }

  int connections() {
    return connections.get();
  }

  /** Requests read and left unanswered as the connection closed ({@link Framing#CLOSE_ON_NEXT}). */
  int dropped() {
    return dropped.get();
  }

  /** Lets {@link Framing#HELD} answers go. */
  void release() {
    released.countDown();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      for (int onConnection = 0; ; onConnection++) {
        String head = RequestHeads.read(in);
        if (head == null) {
          return;
        }
        String body = body(in, new Request(head, ""));
        requests.add(new Request(head, body));
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        String[] parts = requestLine.split(" ");
        String text = parts[0] + " " + parts[1] + " " + body;
        boolean head0 = parts[0].equals("HEAD");
        byte[] answer = text.getBytes(StandardCharsets.ISO_8859_1);
        switch (framing) {
          case CLOSE_ON_NEXT -> {
            if (onConnection > 0) {
              dropped.incrementAndGet();
              return;
            }
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + answer.length + "\r\n\r\n", text);
          }
          case TRUNCATED -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "abc");
            return;
          }
          case SILENT -> {
            closed.await();
            return;
          }
          case HELD -> {
            released.await();
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + answer.length + "\r\n\r\n", head0 ? "" : text);
          }
          case LENGTH -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + answer.length
              + "\r\nKeep-Alive: timeout=5\r\nX-Instance: yes\r\n\r\n", head0 ? "" : text);
          case PLAIN -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + answer.length + "\r\n\r\n", text);
          case STRAY -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + answer.length + "\r\n\r\n",
              text + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray");
          case LENGTH_THEN_CLOSE -> {
            write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + answer.length + "\r\n\r\n",
                text);
            return;
          }
          case CHUNKED -> {
            int third = text.length() / 3;
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunk(text.substring(0, third))
                + chunk(text.substring(third, 2 * third)) + chunk(text.substring(2 * third)) + "0\r\n\r\n");
          }
          case UNTIL_CLOSE -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", text);
            return;
          }
          default -> throw new IllegalStateException();
        }
      }
    } catch (IOException | InterruptedException e) {
      // the gateway went away
    }
  }

  /** The request's body: by its Content-Length, or its chunks (the Vert.x path forwards a chunked one chunked). */
  private static String body(InputStream in, Request request) throws IOException {
    String declared = request.header("Content-Length");
    if (!"chunked".equalsIgnoreCase(request.header("Transfer-Encoding"))) {
      return new String(in.readNBytes(declared == null ? 0 : Integer.parseInt(declared)), StandardCharsets.ISO_8859_1);
    }
    StringBuilder body = new StringBuilder();
    for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16); size > 0;
        size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
      body.append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
      line(in);
    }
    String trailer = line(in);
    while (!trailer.isEmpty()) {
      trailer = line(in);
    }
    return body.toString();
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.length()).toUpperCase(Locale.ROOT) + "\r\n" + data + "\r\n";
  }

  private static void write(OutputStream out, String head, String body) throws IOException {
    out.write((head + body).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    released.countDown();
    closed.countDown();
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
