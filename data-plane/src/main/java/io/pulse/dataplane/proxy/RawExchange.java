package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.pulse.common.http.FailureRefs;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One exchange of the byte-level forwarder: the request (head rewritten, body whole) goes to the instance on a pooled
 * raw connection, the answer comes back through {@link RawAnswerHead} (head rewritten, body relayed as it arrives,
 * its end found from its framing) and is written to the client from the raw handler's own context, ahead of Vert.x's
 * encoder. The client's writability holds the instance's reads (back-pressure). Failures end it as the Vert.x path
 * ({@link ProxyExchange}) ends them: a connection that could not be made leaves the request unanswered, for the caller
 * to hand over; a kept connection closed before any answer byte carries an idempotent request again on a fresh one;
 * otherwise 502, or 504 at the deadline, in the same JSON, or the client's connection cut once the answer has begun.
 * Confined to the client connection's event loop; every path ends in {@link #finish} once.
 */
final class RawExchange extends Deadlines.Entry implements RawConnections.Listener {

  private static final byte[] CRLF = {'\r', '\n'};
  /** Bodies up to this size that arrive with their head are copied behind it rather than written on their own. */
  static final int INLINE_BODY_BYTES = 4_096;
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ChannelHandlerContext client;
  private final RawConnections connections;
  private final DeadlineSweeper deadlines;
  private final RawAdmission.Granted grant;
  private final ByteBuf request;
  private final boolean headRequest;
  private final boolean idempotent;
  private final boolean closeClient;
  private final Consumer<Exchanged> done;
  private RawConnections.@Nullable Connection connection;
  private @Nullable ByteBuf answer; // the answer's bytes until its final head is read
  private @Nullable RawAnswerHead head;
  private @Nullable ChunkedBody chunks;
  private long remaining;
  private boolean receivedAny;
  private boolean answered; // bytes of the answer went to the client
  private boolean outOfStep; // the instance sent bytes past its answer
  private boolean onReused; // the attempt's connection had carried an earlier exchange
  private boolean replayed;
  private boolean reusable;
  private boolean finished;

  /**
   * {@code request}: the bytes for the instance (owned, released at the end). {@code done} runs once, on the event
   * loop, when the exchange is over.
   */
  RawExchange(ChannelHandlerContext client, RawConnections connections, DeadlineSweeper deadlines,
      RawAdmission.Granted grant, ByteBuf request, String method, boolean closeClient, Consumer<Exchanged> done) {
    this.client = client;
    this.connections = connections;
    this.deadlines = deadlines;
    this.grant = grant;
    this.request = request;
    this.headRequest = method.equals("HEAD");
    this.idempotent = Replay.idempotent(HttpMethod.valueOf(method));
    this.closeClient = closeClient;
    this.done = done;
  }

  void start() {
    deadlines.schedule(this, grant.timeoutMillis());
    connections.acquire(grant.instance(), false, this::connected);
  }

  /** The client's connection became writable or stopped being so: the instance's reads follow it. */
  void clientWritabilityChanged() {
    RawConnections.Connection current = connection;
    if (current != null && !finished) {
      current.channel().config().setAutoRead(client.channel().isWritable());
    }
  }

  /** The client's connection closed. */
  void clientGone() {
    if (!finished) {
      finish(Forwarder.CLIENT_CLOSED, null, false);
    }
  }

  private void connected(RawConnections.@Nullable Connection made) {
    if (finished) {
      if (made != null) {
        connections.release(made, true); // nothing went on it
      }
      return;
    }
    if (made == null) {
      notConnected();
      return;
    }
    connection = made;
    onReused = made.reused();
    made.listen(this);
    made.channel().writeAndFlush(request.retainedDuplicate(), made.channel().voidPromise());
  }

  /** No connection: nothing went out. The first time the request is handed over; after a replay it is a 502. */
  private void notConnected() {
    if (replayed) {
      failed(true, "refused the connection (on a fresh connection, after its kept-alive one closed)");
      return;
    }
    finish(0, new Exchanged.Failure(FailureRefs.newRef(), "forward", "instance " + grant.instance().describe()
        + " could not be reached; the request goes to another instance"), true);
  }

  @Override
  public void read(ByteBuf bytes) {
    if (finished) {
      bytes.release();
      return;
    }
    receivedAny = true;
    if (head != null) {
      relayBody(bytes);
      return;
    }
    ByteBuf cumulation = answer == null ? bytes : RawForwarding.append(client, answer, bytes);
    answer = cumulation;
    RawAnswerHead parsed;
    while (true) {
      RawAnswerHead.Parse parse = RawAnswerHead.parse(cumulation, headRequest);
      if (parse instanceof RawAnswerHead.Incomplete) {
        return;
      }
      if (parse instanceof RawAnswerHead.Malformed(String reason)) {
        failed(false, "answered what the gateway could not read: " + reason);
        return;
      }
      parsed = ((RawAnswerHead.Parsed) parse).head();
      if (!parsed.interim()) {
        break;
      }
      cumulation.skipBytes(parsed.length()); // 1xx: not relayed, the final answer follows
    }
    head = parsed;
    answer = null;
    remaining = parsed.contentLength();
    answered = true;
    if (parsed.relayedAsIs(closeClient)) {
      relayAsIs(parsed, cumulation);
      return;
    }
    // A small body that came with its head goes out in the same buffer: one write, one buffer less per answer.
    boolean inline = parsed.body() == RawAnswerHead.Body.LENGTH && remaining <= INLINE_BODY_BYTES
        && cumulation.readableBytes() - parsed.length() >= remaining;
    ByteBuf out = client.alloc().buffer(parsed.length() + 64 + (inline ? (int) remaining : 0));
    parsed.writeForClient(cumulation, out, closeClient);
    cumulation.skipBytes(parsed.length());
    if (inline) {
      out.writeBytes(cumulation, (int) remaining);
      remaining = 0;
    }
    client.write(out, client.voidPromise());
    if (parsed.body() == RawAnswerHead.Body.CHUNKED) {
      chunks = new ChunkedBody();
    }
    relayBody(cumulation);
  }

  /**
   * Relays an answer whose head goes to the client as it came ({@code bytes}, owned, start with it): when the bytes
   * are the whole answer and nothing more, as one write of the buffer they arrived in; else the head as a slice of it,
   * then the body as it comes.
   */
  private void relayAsIs(RawAnswerHead parsed, ByteBuf bytes) {
    int body = bytes.readableBytes() - parsed.length();
    if (body == remaining) {
      remaining = 0;
      client.writeAndFlush(bytes, client.voidPromise());
      end();
      return;
    }
    client.write(bytes.retainedSlice(bytes.readerIndex(), parsed.length()), client.voidPromise());
    bytes.skipBytes(parsed.length());
    relayBody(bytes);
  }

  /** Relays the body bytes in {@code bytes} (owned) and ends the exchange when the body ends. */
  private void relayBody(ByteBuf bytes) {
    RawAnswerHead answerHead = java.util.Objects.requireNonNull(head);
    int from = bytes.readerIndex();
    int to = bytes.writerIndex();
    boolean ended;
    switch (answerHead.body()) {
      case NONE -> {
        outOfStep = from < to;
        bytes.release();
        ended = true;
      }
      case LENGTH -> {
        int take = (int) Math.min(remaining, to - from);
        remaining -= take;
        ended = remaining == 0;
        outOfStep = take < to - from;
        writeToClient(bytes, from, take);
      }
      case CHUNKED -> {
        int at = java.util.Objects.requireNonNull(chunks).scan(bytes, from, to);
        if (at == ChunkedBody.MALFORMED) {
          bytes.release();
          cut("sent a malformed chunked body");
          return;
        }
        ended = at != ChunkedBody.MORE;
        int end = ended ? at : to;
        outOfStep = end < to;
        writeToClient(bytes, from, end - from);
      }
      case UNTIL_CLOSE -> {
        // Chunked to the client, as Vert.x does: the client's connection lives on after the instance's closes.
        if (from < to) {
          ByteBuf size = client.alloc().buffer(10);
          size.writeCharSequence(Integer.toHexString(to - from), StandardCharsets.US_ASCII);
          client.write(size.writeBytes(CRLF), client.voidPromise());
          client.write(bytes, client.voidPromise());
          client.write(Unpooled.wrappedBuffer(CRLF), client.voidPromise());
        } else {
          bytes.release();
        }
        ended = false;
      }
      default -> throw new IllegalStateException();
    }
    client.flush();
    if (ended) {
      end();
    } else if (!client.channel().isWritable()) {
      java.util.Objects.requireNonNull(connection).channel().config().setAutoRead(false);
    }
  }

  private void writeToClient(ByteBuf bytes, int from, int length) {
    if (length == 0) {
      bytes.release();
      return;
    }
    if (length == bytes.readableBytes()) {
      client.write(bytes, client.voidPromise());
      return;
    }
    if (length > 0) {
      client.write(bytes.retainedSlice(from, length), client.voidPromise());
    }
    bytes.release();
  }

  /** The whole answer went to the client. */
  private void end() {
    RawAnswerHead answerHead = java.util.Objects.requireNonNull(head);
    reusable = !answerHead.close() && !outOfStep;
    finish(answerHead.status(), null, false);
  }

  @Override
  public void closed() {
    connection = null; // gone: nothing to give back
    if (finished) {
      return;
    }
    RawAnswerHead answerHead = head;
    if (answerHead == null) {
      boolean stale = !receivedAny && onReused;
      if (stale) {
        connections.closesConnections(grant.instance().id());
      }
      if (stale && idempotent && !replayed) {
        replayed = true;
        connections.acquire(grant.instance(), true, this::connected);
        return;
      }
      failed(false, "failed: the connection closed before an answer"
          + (replayed ? " (on a fresh connection, after its kept-alive one closed)" : ""));
      return;
    }
    if (answerHead.body() == RawAnswerHead.Body.UNTIL_CLOSE) {
      client.writeAndFlush(client.alloc().buffer(LAST_CHUNK.length).writeBytes(LAST_CHUNK), client.voidPromise());
      finish(answerHead.status(), null, false);
      return;
    }
    cut("closed the connection before the answer's end");
  }

  @Override
  void expired() {
    if (finished) {
      return;
    }
    Exchanged.Failure failure = new Exchanged.Failure(FailureRefs.newRef(), "timeout", "instance "
        + grant.instance().describe() + " gave no answer within " + grant.timeoutMillis() + " ms");
    if (answered) {
      client.close();
    } else {
      answerClient(504, "function '" + grant.function() + "' did not answer within " + grant.timeoutMillis()
          + " ms", failure.ref());
    }
    finish(504, failure, false); // after the answer: the handler may go on to the next request at once
  }

  /** The instance failed before any answer byte went to the client: 502 in the Vert.x path's words. */
  private void failed(boolean refused, String detail) {
    Exchanged.Failure failure = new Exchanged.Failure(FailureRefs.newRef(), "forward",
        "instance " + grant.instance().describe() + " " + detail);
    answerClient(502, "function '" + grant.function() + "' failed: its instance "
        + (refused ? "refused the connection" : "dropped the exchange"), failure.ref());
    finish(502, failure, false);
  }

  /** The answer broke after it had begun: too late for a status, so the client's connection is cut. */
  private void cut(String detail) {
    client.close();
    finish(502, new Exchanged.Failure(FailureRefs.newRef(), "forward", "instance " + grant.instance().describe()
        + " failed: it " + detail), false);
  }

  private void answerClient(int status, String message, String ref) {
    if (client.channel().isActive()) {
      client.writeAndFlush(RawErrorAnswer.of(client.alloc(), status, message, ref, closeClient),
          client.voidPromise());
    }
  }

  private void finish(int status, Exchanged.@Nullable Failure failure, boolean refused) {
    if (finished) {
      return;
    }
    finished = true;
    deadlines.cancel(this);
    RawConnections.Connection current = connection;
    if (current != null) {
      connection = null;
      connections.release(current, reusable);
    }
    request.release();
    if (answer != null) {
      answer.release();
      answer = null;
    }
    done.accept(new Exchanged(status, failure, refused));
  }
}
