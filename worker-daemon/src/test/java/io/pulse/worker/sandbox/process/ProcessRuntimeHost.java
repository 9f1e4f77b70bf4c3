package io.pulse.worker.sandbox.process;

import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in worker JVM for tests that kill one: runs a process runtime on a data dir, creates one sandbox and waits
 * to be killed. Arguments: data dir, first port (ten are used), instance id, the sandbox's command.
 */
final class ProcessRuntimeHost {

  private ProcessRuntimeHost() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    ProcessSandboxRuntime runtime = new ProcessSandboxRuntime(
        new ProcessRuntimeSettings(Path.of(args[0]), "127.0.0.1", port, port + 9, 300, 20_000));
    runtime.create(args[2], SandboxKind.REGULAR, SandboxSpec.ofCommand("host", 1, List.of(args).subList(3, args.length)))
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    System.out.println("sandbox ready");
    new CountDownLatch(1).await();
  }

  /** Starts this class in a JVM of its own, on the test's class path; its output appended to {@code log}. */
  static Process start(Path dataDir, int port, String instanceId, List<String> command, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> argv = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), ProcessRuntimeHost.class.getName(),
        dataDir.toString(), Integer.toString(port), instanceId));
    argv.addAll(command);
    return new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }
}
