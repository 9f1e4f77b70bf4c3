package io.pulse.samples.hello;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * The argv that runs {@link Hello} with the JVM running now, for the demo, tests and bench. The function reads its
 * port from {@code $PORT}, which the process runtime sets.
 */
public final class HelloCommand {

  private HelloCommand() {}

  public static List<String> argv() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java,
        // A function should start in a blink: no JIT tiers beyond C1, a small heap, the serial collector.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k", "-XX:-UsePerfData",
        "-cp", codeLocation().toString(), Hello.class.getName());
  }

  /** The jar or class directory this class was loaded from. */
  public static Path codeLocation() {
    try {
      return Path.of(Hello.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the hello function's classes", e);
    }
  }
}
