package io.pulse.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The registry holds records, validation and storage: JSON is the API layer's ({@code api.json}). */
class RegistryPackageTest {

  private static final Path SOURCES = Path.of("src/main/java/io/pulse/controlplane/registry");

  @Test
  void registrySources_importNoJsonAndNoApiType() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.list(SOURCES)) {
      offending = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
        try {
          return Files.readAllLines(f).stream()
              .filter(line -> line.startsWith("import io.vertx.core.json")
                  || line.startsWith("import io.pulse.controlplane.api"))
              .map(line -> f.getFileName() + ": " + line);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }

    assertThat(SOURCES).isDirectory();
    assertThat(offending).isEmpty();
  }
}
