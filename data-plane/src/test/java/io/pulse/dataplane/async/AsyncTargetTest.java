package io.pulse.dataplane.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.routing.RequestTarget;
import org.junit.jupiter.api.Test;

class AsyncTargetTest {

  private static final String DOMAIN = "fn.localhost";

  @Test
  void asyncPath_namesTheFunction_andTheUriItSees() {
    assertThat(AsyncTarget.wanted("gw:8080", "/async/fn/hello/work", DOMAIN, null)).isTrue();
    assertThat(AsyncTarget.resolve("gw:8080", "/async/fn/hello/work", "a=1", DOMAIN, null))
        .isEqualTo(new RequestTarget("hello", "/work?a=1"));
    assertThat(AsyncTarget.resolve("gw:8080", "/async/fn/hello", null, DOMAIN, null))
        .isEqualTo(new RequestTarget("hello", "/"));
  }

  @Test
  void plainPaths_areNotAsync() {
    assertThat(AsyncTarget.wanted("gw:8080", "/fn/hello/async/fn/x", DOMAIN, null)).isFalse();
    assertThat(AsyncTarget.resolve("gw:8080", "/fn/hello/", null, DOMAIN, null)).isNull();
    assertThat(AsyncTarget.wanted("gw:8080", "/asyncfn/hello", DOMAIN, null)).isFalse();
  }

  @Test
  void hostRouting_isAsyncOnlyWithTheHeader_andKeepsItsPath() {
    assertThat(AsyncTarget.wanted("hello.fn.localhost", "/async/fn/x", DOMAIN, null))
        .as("the function's own path").isFalse();
    assertThat(AsyncTarget.wanted("hello.fn.localhost", "/work", DOMAIN, "true")).isTrue();
    assertThat(AsyncTarget.resolve("hello.fn.localhost", "/work", "q", DOMAIN, "TRUE"))
        .isEqualTo(new RequestTarget("hello", "/work?q"));
    assertThat(AsyncTarget.resolve("hello.fn.localhost", "/async/fn/x", null, DOMAIN, "true"))
        .isEqualTo(new RequestTarget("hello", "/async/fn/x"));
  }

  @Test
  void theHeader_withThePathForm_isAsyncToo() {
    assertThat(AsyncTarget.resolve("gw", "/fn/hello/x", null, DOMAIN, "true"))
        .isEqualTo(new RequestTarget("hello", "/x"));
    assertThat(AsyncTarget.resolve("gw", "/async/fn/hello/x", null, DOMAIN, "true"))
        .isEqualTo(new RequestTarget("hello", "/x"));
  }

  @Test
  void asyncNamingNoFunction_isWantedButUnresolved_aNotFound() {
    assertThat(AsyncTarget.wanted("gw", "/async/x", DOMAIN, null)).isTrue();
    assertThat(AsyncTarget.resolve("gw", "/async/x", null, DOMAIN, null)).isNull();
  }
}
