package io.pulse.controlplane.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.api.json.FunctionSpecParser;
import io.pulse.controlplane.registry.InMemoryFunctionRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcceptorTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);

  private final KeptInMemory invocations = new KeptInMemory();
  private final AtomicInteger wakeUps = new AtomicInteger();
  private Acceptor acceptor;

  @BeforeEach
  void setUp() throws Exception {
    InMemoryFunctionRegistry functions = new InMemoryFunctionRegistry(CLOCK);
    functions.create(FunctionSpecParser.parse(new JsonObject().put("name", "f")
        .put("command", new JsonArray().add("x")))).await(10, java.util.concurrent.TimeUnit.SECONDS);
    acceptor = new Acceptor(functions, invocations, new Dispatch.Limits(Duration.ofHours(1), 10, 2, 1024), CLOCK,
        wakeUps::incrementAndGet);
  }

  private static AcceptRequest request(String function, byte[] body, String callback) {
    return new AcceptRequest(function, "POST", "/x", List.of(new Invocation.Header("X-A", "b")), body, callback);
  }

  @Test
  void accept_storesAQueuedInvocation_andWakesTheDispatcher() {
    Invocation accepted = acceptor.accept(request("f", "hi".getBytes(), null)).result();

    assertThat(accepted.id()).matches("[0-9a-f]{32}");
    assertThat(accepted.state()).isEqualTo(InvocationState.QUEUED);
    assertThat(accepted.body64()).isEqualTo("aGk=");
    assertThat(accepted.acceptedAt()).isEqualTo(CLOCK.instant());
    assertThat(invocations.kept).containsValue(accepted);
    assertThat(wakeUps).hasValue(1);
  }

  @Test
  void accept_refusesWithAReason_unknownFunction_tooLarge_badCallback_andOverload() {
    assertThat(refusal(request("nobody", new byte[0], null))).isEqualTo(AsyncRefusal.Kind.UNKNOWN_FUNCTION);
    assertThat(refusal(request("f", new byte[Acceptor.MAX_BODY_BYTES + 1], null)))
        .isEqualTo(AsyncRefusal.Kind.TOO_LARGE);
    assertThat(refusal(request("f", new byte[0], "file:///etc/passwd"))).isEqualTo(AsyncRefusal.Kind.INVALID);

    acceptor.accept(request("f", new byte[0], "https://example.com/done"));
    acceptor.accept(request("f", new byte[0], null));
    Future<Invocation> third = acceptor.accept(request("f", new byte[0], null));
    assertThat(third.cause()).isInstanceOfSatisfying(AsyncRefusal.class, refusal -> {
      assertThat(refusal.kind()).isEqualTo(AsyncRefusal.Kind.OVERLOADED);
      assertThat(refusal.getMessage()).contains("too many async invocations waiting (2)");
    });
    assertThat(invocations.kept).hasSize(2);
  }

  private AsyncRefusal.Kind refusal(AcceptRequest request) {
    return ((AsyncRefusal) acceptor.accept(request).cause()).kind();
  }
}
