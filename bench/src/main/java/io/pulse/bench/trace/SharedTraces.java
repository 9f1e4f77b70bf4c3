package io.pulse.bench.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the shared sample traces ({@code shared/traces} beside the project; they are read in place, never copied):
 * the {@code pulse.traces} system property, else {@code $PULSE_TRACES}, else a {@code shared/traces} folder in the
 * working directory or one of its parents.
 */
public final class SharedTraces {

  private SharedTraces() {}

  public static Optional<Path> locate() {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty("pulse.traces");
    if (property != null && !property.isBlank()) {
      candidates.add(Path.of(property));
    }
    String env = System.getenv("PULSE_TRACES");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve("shared").resolve("traces"));
    }
    return candidates.stream().filter(Files::isDirectory).map(Path::normalize).findFirst();
  }
}
