package dev.inlet.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RFC 0029 §5.3.8: the Prepare amount is divided by shares, rounded down, remainder to the lowest
 * stream.
 */
class MoneySplitTest {

  @Test
  void dividesByShares() {
    assertThat(MoneySplit.split(100, new long[] {5, 15, 30})).containsExactly(10, 30, 60);
  }

  @Test
  void givesTheRemainderToTheLowestStreamWithShares() {
    assertThat(MoneySplit.split(101, new long[] {1, 1, 1})).containsExactly(35, 33, 33);
    assertThat(MoneySplit.split(10, new long[] {0, 3, 3})).containsExactly(0, 5, 5);
    assertThat(MoneySplit.split(11, new long[] {0, 3, 3})).containsExactly(0, 6, 5);
  }

  @Test
  void oneStreamTakesEverything() {
    assertThat(MoneySplit.split(-1L, new long[] {7})).containsExactly(-1L);
  }

  @Test
  void neitherLosesNorMakesAUnitEvenAtTheUnsignedLimits() {
    Random random = new Random(29);
    for (int i = 0; i < 10_000; i++) {
      long amount = random.nextLong();
      long[] shares = new long[1 + random.nextInt(6)];
      for (int s = 0; s < shares.length; s++) {
        shares[s] = random.nextBoolean() ? random.nextLong() : random.nextInt(1000);
      }
      shares[random.nextInt(shares.length)] |= 1;
      long[] parts = MoneySplit.split(amount, shares);
      BigInteger sum =
          Arrays.stream(parts)
              .mapToObj(p -> new BigInteger(Long.toUnsignedString(p)))
              .reduce(BigInteger.ZERO, BigInteger::add);
      assertThat(sum).isEqualTo(new BigInteger(Long.toUnsignedString(amount)));
    }
  }
}
