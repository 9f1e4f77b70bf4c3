package io.pulse.samples.hello;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The sample function: an HTTP server on {@code $PORT} (or the first argument) that echoes the request body, or
 * greets when there is none. {@code ?sleep=MS} waits that long first, to stand in for real work. Every response
 * names the instance that served it ({@code X-Pulse-Instance}), which lets tests count instances.
 */
public final class Hello {

  private Hello() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8080"));
    String bind = System.getenv().getOrDefault("HELLO_BIND", "127.0.0.1");
    String instance = System.getenv().getOrDefault("PULSE_INSTANCE_ID", "local");
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 1024);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> handle(exchange, instance));
    server.start();
    System.out.println("hello listening on " + bind + ":" + port + " instance=" + instance);
  }

  private static void handle(HttpExchange exchange, String instance) throws IOException {
    try (exchange) {
      long sleepMillis = sleepMillis(exchange.getRequestURI());
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
      exchange.getResponseHeaders().set("X-Pulse-Instance", instance);
      try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
        byte[] first = in.readNBytes(64 * 1024);
        if (first.length == 0) {
          byte[] greeting = ("Hello from Pulse! instance=" + instance + "\n").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(200, greeting.length);
          out.write(greeting);
        } else {
          // Stream the echo (chunked): bodies of any size pass through a 64 MiB heap.
          String type = exchange.getRequestHeaders().getFirst("Content-Type");
          exchange.getResponseHeaders().set("Content-Type", type == null ? "application/octet-stream" : type);
          exchange.sendResponseHeaders(200, 0);
          out.write(first);
          in.transferTo(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (NumberFormatException e) {
      byte[] error = "sleep must be a number of milliseconds\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(400, error.length);
      exchange.getResponseBody().write(error);
    }
  }

  static long sleepMillis(URI uri) {
    String query = uri.getRawQuery();
    if (query == null) {
      return 0;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("sleep=")) {
        return Math.max(0, Long.parseLong(pair.substring("sleep=".length())));
      }
    }
    return 0;
  }
}
