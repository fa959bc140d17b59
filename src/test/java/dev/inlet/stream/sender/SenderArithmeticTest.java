package dev.inlet.stream.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
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

  @Test
  void insufficientLiquidityHalvesTheWindowAndThePacketAndFulfilsGrowThemBack() {
    Congestion c = new Congestion(8);
    assertEquals(Duration.ofMillis(50), c.insufficientLiquidity(1_000));
    assertEquals(4, c.window());
    assertEquals(500, c.packetCap());
    assertEquals(Duration.ofMillis(100), c.insufficientLiquidity(500));
    assertEquals(2, c.window());
    assertEquals(250, c.packetCap());
    c.fulfilled();
    assertEquals(3, c.window());
    assertEquals(313, c.packetCap());
    assertEquals(0, c.temporaryInARow());
  }

  @Test
  void backoffDoublesUpToItsMaximum() {
    Congestion c = new Congestion(1);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 30; i++) {
      last = c.temporary();
    }
    assertEquals(Congestion.maxBackoff, last);
    assertEquals(1, c.window());
  }

  @Test
  void probesGrowTenfoldWithinTheCeilingAndShrinkToAtLeastOne() {
    RateProbe p = new RateProbe(5);
    assertTrue(p.grow(1_000));
    assertEquals(50, p.amount());
    assertTrue(p.grow(1_000));
    assertFalse(p.grow(1_000));
    assertEquals(500, p.amount());
    p.shrink(0);
    assertEquals(1, p.amount());
    RateProbe huge = new RateProbe(-1L);
    assertFalse(huge.grow(-1L), "no overflow past 2^64 - 1");
    for (int i = 0; i < RateProbe.maxProbes; i++) {
      assertTrue(huge.attempt());
    }
    assertFalse(huge.attempt());
  }
}
