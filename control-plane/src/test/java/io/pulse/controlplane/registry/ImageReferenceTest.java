package io.pulse.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest
  @ValueSource(strings = {
      "nginx",
      "nginx:1.27",
      "nginx:latest",
      "library/nginx",
      "docker.io/library/nginx:1.27-alpine",
      "localhost/hello",
      "localhost:5000/hello:v1",
      "127.0.0.1:5000/team/app:v1.2_3",
      "[::1]:5000/app",
      "Registry.Example.com/team/app",
      "ghcr.io/org/app@" + DIGEST,
      "ghcr.io/org/app:v1@" + DIGEST,
      "reg.example.com/a_b/c__d/e-f/g--h/i.j:tag",
      "app@sha512+b64u:0123456789abcdef0123456789abcdef",
  })
  void isValid_wellFormedReference_isAccepted(String reference) {
    assertThat(ImageReference.isValid(reference)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "Nginx",
      "UPPER/app",
      "nginx:",
      ":1.0",
      "nginx:bad tag",
      "nginx:-dash-first",
      "a//b",
      "a/b/",
      "/a",
      "-nginx",
      "nginx-",
      "a..b",
      "a___b",
      "nginx@sha256:abc",
      "nginx@",
      "nginx@sha256",
      "host:port/app",
      "-bad.example.com/app",
      "app with space",
  })
  void isValid_malformedReference_isRejected(String reference) {
    assertThat(ImageReference.isValid(reference)).isFalse();
  }

  @Test
  void isValid_nameLongerThan255_isRejected() {
    String longName = "a".repeat(200) + "/" + "b".repeat(54);
    assertThat(ImageReference.isValid(longName)).isTrue();
    assertThat(ImageReference.isValid(longName + "b")).isFalse();
  }

  @Test
  void isValid_tagOf128Characters_isTheLimit() {
    assertThat(ImageReference.isValid("app:" + "t".repeat(128))).isTrue();
    assertThat(ImageReference.isValid("app:" + "t".repeat(129))).isFalse();
  }
}
