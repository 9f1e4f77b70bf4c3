package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.proxy.Replay.Next;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ReplayTest {

  private static final Throwable CLOSED = new HttpClosedException("Connection was closed");
  private static final Throwable REFUSED = new ConnectException("Connection refused");

  /** A failure on a connection that was made. */
  private static Next connected(Throwable cause, boolean retried, boolean reused, boolean bodySent) {
    return Replay.after(cause, true, retried, reused, bodySent, true);
  }

  @Test
  void firstAttemptOnAReusedConnectionClosedBeforeAnyBody_goesAgain() {
    assertThat(connected(CLOSED, false, true, false)).isEqualTo(Next.FRESH_CONNECTION);
    assertThat(connected(new IOException("Connection reset by peer"), false, true, false))
        .isEqualTo(Next.FRESH_CONNECTION);
  }

  @Test
  void bodyAlreadySent_neverGoesAgain() {
    assertThat(connected(CLOSED, false, true, true)).isEqualTo(Next.NONE);
  }

  @Test
  void freshConnectionClosing_isTheInstancesDoing_andNotReplayed() {
    assertThat(connected(CLOSED, false, false, false)).isEqualTo(Next.NONE);
  }

  @Test
  void aReplay_isNeverReplayed() {
    assertThat(connected(CLOSED, true, true, false)).isEqualTo(Next.NONE);
  }

  @Test
  void failuresOtherThanALostConnection_areNotReplayed() {
    assertThat(connected(new TimeoutException(), false, true, false)).isEqualTo(Next.NONE);
    assertThat(connected(new IllegalStateException("bad response"), false, true, false)).isEqualTo(Next.NONE);
  }

  @Test
  void noConnection_goesToAnotherInstance_whateverTheMethod() {
    assertThat(Replay.after(REFUSED, false, false, false, false, false)).isEqualTo(Next.ANOTHER_INSTANCE);
    assertThat(Replay.after(new NoRouteToHostException("No route to host"), false, false, false, false, false))
        .isEqualTo(Next.ANOTHER_INSTANCE);
    assertThat(Replay.after(new io.netty.channel.ConnectTimeoutException("timed out"), false, false, false, false,
        false))
        .isEqualTo(Next.ANOTHER_INSTANCE);
  }

  @Test
  void noConnection_afterTheExtraAttempt_isTheAnswer() {
    assertThat(Replay.after(REFUSED, false, true, false, false, false)).isEqualTo(Next.NONE);
  }

  @Test
  void otherFailuresToConnect_areNotRetried() {
    assertThat(Replay.after(new IllegalStateException("client closed"), false, false, false, false, false))
        .isEqualTo(Next.NONE);
  }

  @Test
  void pooledConnectionClosedBeforeTheRequestWentOnIt_goesAgainOnAFreshOne_whateverTheMethod() {
    // Vert.x fails the request itself (not its response) with a StacklessClosedChannelException when the pool hands
    // out a connection the instance closed meanwhile: nothing went out.
    Throwable closedChannel = new java.nio.channels.ClosedChannelException();
    assertThat(Replay.after(closedChannel, false, false, false, false, false)).isEqualTo(Next.FRESH_CONNECTION);
    assertThat(Replay.after(CLOSED, false, false, false, false, false)).isEqualTo(Next.FRESH_CONNECTION);
    assertThat(Replay.after(closedChannel, false, true, false, false, false)).isEqualTo(Next.NONE);
  }

  @Test
  void nonIdempotentRequest_isNotSentAgain_onceItWentOnAConnectionThatClosed() {
    assertThat(Replay.after(CLOSED, true, false, true, false, false)).isEqualTo(Next.NONE);
  }

  @Test
  void idempotentMethods_areThoseOfRfc9110() {
    assertThat(java.util.stream.Stream.of(io.vertx.core.http.HttpMethod.GET, io.vertx.core.http.HttpMethod.HEAD,
        io.vertx.core.http.HttpMethod.PUT, io.vertx.core.http.HttpMethod.DELETE,
        io.vertx.core.http.HttpMethod.OPTIONS)).allMatch(Replay::idempotent);
    assertThat(Replay.idempotent(io.vertx.core.http.HttpMethod.POST)).isFalse();
    assertThat(Replay.idempotent(io.vertx.core.http.HttpMethod.PATCH)).isFalse();
  }
}
