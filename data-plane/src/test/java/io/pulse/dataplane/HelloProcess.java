package io.pulse.dataplane;

import static org.awaitility.Awaitility.await;

import io.pulse.samples.hello.HelloCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** A real hello function process on a free port, as the process runtime would start it. */
final class HelloProcess implements AutoCloseable {

  private final String instanceId;
  private final int port;
  private final Process process;

  private HelloProcess(String instanceId, int port, Process process) {
    this.instanceId = instanceId;
    this.port = port;
    this.process = process;
  }

  /** Starts the process and returns once it accepts connections. */
  static HelloProcess start(String instanceId) {
    int port = freePort();
    ProcessBuilder builder = new ProcessBuilder(HelloCommand.argv())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("PULSE_INSTANCE_ID", instanceId);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HelloProcess hello = new HelloProcess(instanceId, port, process);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(hello::accepts);
    return hello;
  }

  String id() {
    return instanceId;
  }

  int port() {
    return port;
  }

  /** Kills the process (SIGKILL) and waits for it to be gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }

  private boolean accepts() {
    if (!process.isAlive()) {
      throw new IllegalStateException("hello process " + instanceId + " exited with " + process.exitValue());
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
