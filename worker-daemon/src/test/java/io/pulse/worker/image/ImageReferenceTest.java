package io.pulse.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

  @Test
  void parse_shortName_isDockerHubLibraryLatest() {
    assertThat(ImageReference.parse("busybox"))
        .isEqualTo(new ImageReference("docker.io", "library/busybox", "latest"));
    assertThat(ImageReference.parse("busybox").apiHost()).isEqualTo("registry-1.docker.io");
  }

  @Test
  void parse_registryWithPortAndTag() {
    ImageReference ref = ImageReference.parse("127.0.0.1:5000/pulse/httpd:v1");
    assertThat(ref).isEqualTo(new ImageReference("127.0.0.1:5000", "pulse/httpd", "v1"));
    assertThat(ref.name()).isEqualTo("127.0.0.1:5000/pulse/httpd:v1");
  }

  @Test
  void parse_digestWinsOverTag() {
    String digest = "sha256:" + "a".repeat(64);
    ImageReference ref = ImageReference.parse("localhost/x:tag@" + digest);
    assertThat(ref.reference()).isEqualTo(digest);
    assertThat(ref.name()).isEqualTo("localhost/x@" + digest);
  }

  @Test
  void parse_badInput_namesThePart() {
    assertThatThrownBy(() -> ImageReference.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> ImageReference.parse("UPPER/case")).hasMessageContaining("bad repository");
    assertThatThrownBy(() -> ImageReference.parse("x@sha256:zz")).hasMessageContaining("digest");
  }
}
