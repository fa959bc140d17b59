package dev.inlet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The body collector: exact bytes whatever the chunking; past the limit, nothing kept and a bound
 * on reading.
 */
class PrepareBodyTest {

  @Test
  void joinsChunksOfADeclaredLength() {
    PrepareBody body = new PrepareBody(5, 10, 20).append(chunk(1, 2)).append(chunk(3, 4, 5));
    assertThat(body.bytes()).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void growsForAChunkedBodyUpToTheLimit() {
    byte[] all = new byte[3000];
    Arrays.fill(all, (byte) 7);
    PrepareBody body = new PrepareBody(-1, 3000, 4000);
    for (int at = 0; at < all.length; at += 700) {
      body.append(Unpooled.wrappedBuffer(all, at, Math.min(700, all.length - at)));
    }
    assertThat(body.bytes()).isEqualTo(all);
  }

  @Test
  void anEmptyBodyIsEmpty() {
    assertThat(new PrepareBody(-1, 10, 20).bytes()).isEmpty();
    assertThat(new PrepareBody(0, 10, 20).bytes()).isEmpty();
  }

  @Test
  void readsOnPastTheLimitKeepingNothingThenRefuses() {
    PrepareBody body = new PrepareBody(-1, 4, 8).append(chunk(1, 2, 3, 4));
    assertThat(body.tooLarge()).isFalse();
    assertThat(body.append(chunk(5, 6, 7)).tooLarge()).isTrue();
    body.append(chunk(8));
    assertThatThrownBy(() -> body.append(chunk(9))).isInstanceOf(PrepareBody.TooLarge.class);
    assertThat(new PrepareBody(100, 4, 200).append(chunk(1, 2, 3, 4, 5)).tooLarge()).isTrue();
  }

  @Test
  void leavesTheChunkUnread() {
    ByteBuf chunk = chunk(1, 2);
    new PrepareBody(2, 2, 2).append(chunk);
    assertThat(chunk.readableBytes()).isEqualTo(2);
  }

  private static ByteBuf chunk(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Unpooled.wrappedBuffer(b);
  }
}
