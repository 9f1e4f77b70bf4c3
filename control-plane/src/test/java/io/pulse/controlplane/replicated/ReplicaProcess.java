package io.pulse.controlplane.replicated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@link ReplicaMain} in its own JVM, started with this test's class path; its output goes to a log file. */
final class ReplicaProcess {

  final String id;
  final int restPort;
  final int grpcPort;
  final int clusterPort;
  final Path dataDir;
  final Path log;
  private final List<String> members;
  private final List<String> jvmOptions;
  private Process process;

  ReplicaProcess(String id, int restPort, int grpcPort, int clusterPort, Path dir, List<String> members) {
    this(id, restPort, grpcPort, clusterPort, dir, members, List.of());
  }

  /** @param jvmOptions extra options of the replica's JVM (system properties ReplicaMain reads) */
  ReplicaProcess(String id, int restPort, int grpcPort, int clusterPort, Path dir, List<String> members,
      List<String> jvmOptions) {
    this.id = id;
    this.restPort = restPort;
    this.grpcPort = grpcPort;
    this.clusterPort = clusterPort;
    this.dataDir = dir.resolve(id + "-data");
    this.log = dir.resolve(id + ".log");
    this.members = List.copyOf(members);
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  void start() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "--enable-native-access=ALL-UNNAMED"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ReplicaMain.class.getName(), id,
        Integer.toString(restPort), Integer.toString(grpcPort),
        Integer.toString(clusterPort), dataDir.toString()));
    command.addAll(members);
    Files.deleteIfExists(log);
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  boolean ready() throws IOException {
    return Files.exists(log) && Files.readString(log).contains("READY " + id);
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** SIGSTOP / SIGCONT: the replica stops answering without its sockets closing (a partition, as others see it). */
  void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** Whether it runs, its cluster view (as {@code view} gives it) and its log's last {@code lines}: for failures. */
  String describe(java.util.function.Function<ReplicaProcess, String> view, int lines) {
    StringBuilder text = new StringBuilder("--- " + id + ": alive=" + alive() + ", cluster=" + view.apply(this) + "\n");
    try {
      List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
      all.subList(Math.max(0, all.size() - lines), all.size()).forEach(line -> text.append(line).append('\n'));
    } catch (IOException e) {
      text.append("(log unreadable: ").append(e).append(")\n");
    }
    return text.toString();
  }

  /** The audit log this replica appends to (see {@link ReplicaMain}). */
  Path auditLog() {
    return dataDir.resolveSibling(id + "-audit.jsonl");
  }

  String rest() {
    return "http://127.0.0.1:" + restPort;
  }
}
