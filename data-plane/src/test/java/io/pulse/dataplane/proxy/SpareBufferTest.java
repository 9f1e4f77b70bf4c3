package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class SpareBufferTest {

  private final ByteBufAllocator allocator = UnpooledByteBufAllocator.DEFAULT; // no recycling: identity means reuse
  private final SpareBuffer spare = new SpareBuffer();

  @Test
  void aBufferLetGoOfByEveryHolder_isTakenAgain_empty() {
    ByteBuf first = spare.take(allocator, 300);
    first.writeBytes(new byte[200]);
    first.release();

    ByteBuf second = spare.take(allocator, 300);

    assertThat(second).isSameAs(first);
    assertThat(second.readableBytes()).isZero();
    assertThat(second.refCnt()).as("the caller's and the holder's").isEqualTo(2);
    second.release();
    spare.release();
    assertThat(second.refCnt()).isZero();
  }

  @Test
  void aBufferStillBeingWritten_isLeftToItsWriter_andAFreshOneTaken() {
    ByteBuf first = spare.take(allocator, 300);
    ByteBuf queued = first.retainedDuplicate(); // the socket's outbound queue still holds it
    first.release();

    ByteBuf second = spare.take(allocator, 300);

    assertThat(second).isNotSameAs(first);
    assertThat(first.refCnt()).as("only the write's").isEqualTo(1);
    queued.release();
    assertThat(first.refCnt()).isZero();
    second.release();
    spare.release();
    assertThat(second.refCnt()).isZero();
  }

  @Test
  void largeBuffers_areNotKept_andASmallOneOutgrownIsDropped() {
    ByteBuf large = spare.take(allocator, SpareBuffer.KEPT_CAPACITY + 1);
    large.release();
    assertThat(large.refCnt()).as("freed at once").isZero();

    ByteBuf small = spare.take(allocator, 100);
    small.writeBytes(new byte[SpareBuffer.KEPT_CAPACITY * 2]); // grew while it was written
    small.release();
    ByteBuf next = spare.take(allocator, 100);

    assertThat(next).isNotSameAs(small);
    assertThat(small.refCnt()).isZero();
    next.release();
    spare.release();
    assertThat(next.refCnt()).isZero();
  }

  @Test
  void aLongerMessage_getsALargerBuffer() {
    ByteBuf first = spare.take(allocator, 100);
    first.release();

    ByteBuf longer = spare.take(allocator, SpareBuffer.MIN_CAPACITY * 2);

    assertThat(longer.capacity()).isGreaterThanOrEqualTo(SpareBuffer.MIN_CAPACITY * 2);
    assertThat(first.refCnt()).isZero();
    longer.release();
    spare.release();
    assertThat(longer.refCnt()).isZero();
  }
}
