package io.pulse.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestTargetTest {

  private static final String DOMAIN = "fn.localhost";

  @Test
  void resolve_pathFormForwardsTheRestWithQuery() {
    assertThat(RequestTarget.resolve("localhost:8080", "/fn/hello/a/b", "x=1&y=2", DOMAIN))
        .isEqualTo(new RequestTarget("hello", "/a/b?x=1&y=2"));
  }

  @Test
  void resolve_pathFormWithoutRestForwardsRoot() {
    assertThat(RequestTarget.resolve(null, "/fn/hello", null, DOMAIN)).isEqualTo(new RequestTarget("hello", "/"));
    assertThat(RequestTarget.resolve(null, "/fn/hello", "q=1", DOMAIN))
        .isEqualTo(new RequestTarget("hello", "/?q=1"));
    assertThat(RequestTarget.resolve(null, "/fn/hello/", null, DOMAIN)).isEqualTo(new RequestTarget("hello", "/"));
  }

  @Test
  void resolve_hostFormForwardsPathUnchanged() {
    assertThat(RequestTarget.resolve("hello.fn.localhost:8080", "/fn/other/x", "a=b", DOMAIN))
        .isEqualTo(new RequestTarget("hello", "/fn/other/x?a=b"));
    assertThat(RequestTarget.resolve("Hello.FN.localhost", "/", null, DOMAIN))
        .isEqualTo(new RequestTarget("hello", "/"));
    assertThat(RequestTarget.resolve("hello.fn.localhost.", "/p", null, DOMAIN))
        .isEqualTo(new RequestTarget("hello", "/p"));
  }

  @Test
  void resolve_neitherFormIsNull() {
    assertThat(RequestTarget.resolve("localhost:8080", "/hello", null, DOMAIN)).isNull();
    assertThat(RequestTarget.resolve("fn.localhost", "/", null, DOMAIN)).isNull();
    assertThat(RequestTarget.resolve("a.b.fn.localhost", "/", null, DOMAIN)).isNull();
    assertThat(RequestTarget.resolve("hellofn.localhost", "/", null, DOMAIN)).isNull();
    assertThat(RequestTarget.resolve(null, "/fn/", null, DOMAIN)).isNull();
    assertThat(RequestTarget.resolve(null, "/fn", null, DOMAIN)).isNull();
    assertThat(RequestTarget.resolve("[::1]:8080", "/x", null, DOMAIN)).isNull();
  }

  @Test
  void hint_namesBothForms() {
    assertThat(RequestTarget.hint(DOMAIN)).contains("/fn/{name}").contains("{name}.fn.localhost");
  }
}
