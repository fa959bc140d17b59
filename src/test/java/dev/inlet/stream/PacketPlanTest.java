package dev.inlet.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.stream.StreamClose;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plan of a packet with one {@code StreamMoney} frame (the fast path) equals the general
 * reading.
 */
class PacketPlanTest {

  @Test
  void aSingleStreamMoneyFrameIsReadAsTheGeneralPathReadsIt() {
    long[] ids = {1, 3, 255, 257, 2, 0, -1};
    long[] shares = {0, 1, 7, -1};
    long[] amounts = {0, 1, 1000, -1};
    long[] sequences = {
      1, ReceiverLimits.maxPacketsPerConnection, ReceiverLimits.maxPacketsPerConnection + 1
    };
    int compared = 0;
    for (long id : ids) {
      for (long share : shares) {
        for (long amount : amounts) {
          for (long sequence : sequences) {
            StreamMoney money = new StreamMoney(id, share);
            // A frame the plan ignores forces the general path without changing what it reads.
            PacketPlan general =
                PacketPlan.of(packet(sequence, money, new StreamMaxMoney(1, 10, 0)), amount);
            assertThat(PacketPlan.of(packet(sequence, money), amount))
                .as("stream %d, shares %d, amount %d, sequence %d", id, share, amount, sequence)
                .isEqualTo(general);
            compared++;
          }
        }
      }
    }
    assertThat(compared).isEqualTo(336);
  }

  @Test
  void theWholeAmountGoesToTheOneStream() {
    PacketPlan plan = PacketPlan.of(packet(5, new StreamMoney(3, 2)), 999);
    assertThat(plan.streams()).containsExactly(new StreamCredit(3, 999, false));
    assertThat(plan.violation()).isNull();
    assertThat(plan.moneyWithoutStream()).isFalse();
  }

  @Test
  void aPayerClosingAStreamInletOpenedIsNoViolation() {
    PacketPlan plan =
        PacketPlan.of(
            packet(
                7, new StreamClose(2, StreamErrorCode.NO_ERROR, ""), new StreamMaxMoney(2, 5, 5)),
            0);
    assertThat(plan.violation()).isNull();
    assertThat(plan.streams()).isEmpty();
    // Money for such a stream still is one: the payer cannot pay on Inlet's streams.
    assertThat(PacketPlan.of(packet(8, new StreamMoney(2, 1)), 10).violation())
        .isEqualTo(StreamErrorCode.PROTOCOL_VIOLATION);
  }

  private static StreamPacket packet(long sequence, StreamFrame... frames) {
    return new StreamPacket(
        StreamPacket.supportedVersion,
        IlpPacketType.PREPARE,
        sequence,
        0,
        new ArrayList<>(List.of(frames)));
  }
}
