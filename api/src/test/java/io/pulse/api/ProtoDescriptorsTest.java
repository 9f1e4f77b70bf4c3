package io.pulse.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProtoDescriptorsTest {

  @Test
  void files_listEveryProtoFileOfTheModule() throws IOException {
    Path protos = Path.of("src/main/proto");
    List<String> onDisk;
    try (Stream<Path> files = Files.walk(protos)) {
      onDisk = files.filter(p -> p.toString().endsWith(".proto"))
          .map(p -> protos.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }

    assertThat(ProtoDescriptors.files()).extracting(FileDescriptor::getName).containsExactlyInAnyOrderElementsOf(onDisk);
  }

  /** Every message (and its builder), enum and gRPC service class generated into the module is initialized. */
  @Test
  void preload_touchesEveryGeneratedClass() throws IOException, URISyntaxException {
    Path generated = Path.of(io.pulse.api.v1.TypesProto.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()).resolve("io/pulse/api/v1");
    long expected;
    try (Stream<Path> classes = Files.list(generated)) {
      expected = classes.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".class"))
          .map(name -> name.substring(0, name.length() - ".class".length()))
          .filter(name -> !name.endsWith("OrBuilder") && !name.endsWith("Proto") && !name.contains("$")
              || name.endsWith("$Builder"))
          .count();
    }

    int first = ProtoDescriptors.preload();

    assertThat(first).isEqualTo(expected);
    assertThat(ProtoDescriptors.preload()).as("only once").isZero();
  }
}
