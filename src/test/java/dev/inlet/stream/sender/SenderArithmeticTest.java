package dev.inlet.stream.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Exact rates and the F08 shrink, at the edges of unsigned 64-bit amounts. */
class SenderArithmeticTest {

  @Test
  void minDeliveredIsTheRateLessTheSlippageRoundedDown() {
    ExchangeRate rate = ExchangeRate.of(3, 2000);
    assertEquals(1_485, rate.minDelivered(1_000_000, new BigDecimal("0.01")));
    assertEquals(1_500, rate.minDelivered(1_000_000, BigDecimal.ZERO));
    assertEquals(1, rate.minDelivered(1_000, BigDecimal.ZERO));
  }

  @Test
  void minDeliveredOfTheLargestAmountStaysUnsigned() {
    ExchangeRate one = ExchangeRate.of(-1L, -1L);
    assertEquals(-1L, one.minDelivered(-1L, BigDecimal.ZERO));
    assertEquals(-1L, ExchangeRate.of(2, 1).expected(-1L), "clamped at 2^64 - 1");
  }

  @Test
  void sourceForIsTheMostThatDeliversAtMostTheCredit() {
    ExchangeRate rate = ExchangeRate.of(3, 2);
    assertEquals(400, rate.sourceFor(600));
    assertEquals(400, rate.sourceFor(601));
  }

  @Test
  void f08ShrinksByMaximumOverReceived() {
    byte[] data = ByteBuffer.allocate(16).putLong(2_000).putLong(500).array();
    assertEquals(250, AmountTooLarge.maxSourceAmount(1_000, data));
  }

  @Test
  void f08WithoutUsableDataHalves() {
    assertEquals(500, AmountTooLarge.maxSourceAmount(1_000, new byte[0]));
    byte[] wrong = ByteBuffer.allocate(16).putLong(500).putLong(2_000).array();
    assertEquals(500, AmountTooLarge.maxSourceAmount(1_000, wrong));
    assertEquals(0, AmountTooLarge.maxSourceAmount(1, new byte[0]));
  }
}
