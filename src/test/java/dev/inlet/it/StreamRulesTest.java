package dev.inlet.it;

import static dev.inlet.it.TestSender.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.StreamClose;
import dev.inlet.codec.stream.StreamData;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.it.TestSender.Reply;
import dev.inlet.stream.ReceiverLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The STREAM receiver's rules for streams and the connection's lifecycle (RFC 0029 §4.4–4.5), end
 * to end as in {@link ReceiverRulesTest}: money split between streams, stream ids, ConnectionClose
 * and StreamClose from the sender, StreamData and ConnectionMaxData, money without a StreamMoney
 * frame.
 */
class StreamRulesTest extends ReceiverTest {
  @Test
  void splitsMoneyBetweenStreamsByShares() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);

    Reply reply =
        sender.send(100, new StreamMoney(1, 5), new StreamMoney(3, 15), new StreamMoney(5, 30));

    assertThat(totals(reply)).isEqualTo(Map.of(1L, 10L, 3L, 30L, 5L, 60L));

    // 101 in three equal shares: 33 each, rounded down, and the remainder 2 to the lowest stream.
    Reply uneven =
        sender.send(101, new StreamMoney(7, 1), new StreamMoney(9, 1), new StreamMoney(11, 1));

    assertThat(totals(uneven)).isEqualTo(Map.of(7L, 35L, 9L, 33L, 11L, 33L));
    assertThat(streamsReceived(onlyConnection(account)))
        .isEqualTo(Map.of(1L, 10L, 3L, 30L, 5L, 60L, 7L, 35L, 9L, 33L, 11L, 33L));
    assertThat(inlet.balance(account)).isEqualTo(201);
  }

  @Test
  void rejectsEvenOrTooLargeStreamIdAndClosesConnection() {
    String evenAccount = newAccount();
    TestSender even = TestSender.open(inlet, evenAccount);

    Reply serverStream = even.send(100, new StreamMoney(2, 1));

    assertThat(serverStream.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(serverStream.frame(ConnectionClose.class).errorCode())
        .isEqualTo(StreamErrorCode.PROTOCOL_VIOLATION);
    assertClosed(even, evenAccount);

    String largeAccount = newAccount();
    TestSender large = TestSender.open(inlet, largeAccount);

    Reply beyondMax = large.send(100, new StreamMoney(ReceiverLimits.maxStreamId + 2, 1));

    assertThat(beyondMax.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(beyondMax.frame(ConnectionClose.class).errorCode())
        .isEqualTo(StreamErrorCode.STREAM_ID_ERROR);
    assertClosed(large, largeAccount);

    // The largest advertised stream id itself is fine.
    String boundaryAccount = newAccount();
    assertThat(
            TestSender.open(inlet, boundaryAccount)
                .send(100, money(ReceiverLimits.maxStreamId))
                .fulfilled())
        .isTrue();
    assertThat(inlet.balance(boundaryAccount)).isEqualTo(100);
  }

  @Test
  void honoursConnectionCloseFromSender() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);

    Reply close = sender.send(0, new ConnectionClose(StreamErrorCode.NO_ERROR, "done"));

    assertThat(close.fulfilled()).isTrue();
    assertClosed(sender, account);
  }

  @Test
  void honoursStreamClose() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);

    Reply lastMoney = sender.send(100, money(1), new StreamClose(1, StreamErrorCode.NO_ERROR, ""));
    Reply afterClose = sender.send(50, money(1));
    Reply otherStream = sender.send(50, money(3));

    assertThat(lastMoney.fulfilled()).isTrue();
    assertThat(afterClose.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(otherStream.fulfilled()).isTrue();
    assertThat(inlet.balance(account)).isEqualTo(150);
    JsonNode streams = onlyConnection(account).get("streams");
    assertThat(streams.get(0).get("stream_id").asLong()).isEqualTo(1);
    assertThat(streams.get(0).get("received").asString()).isEqualTo("100");
    assertThat(streams.get(0).get("closed").asBoolean()).isTrue();
    assertThat(streams.get(1).get("stream_id").asLong()).isEqualTo(3);
    assertThat(streams.get(1).get("closed").asBoolean()).isFalse();
  }

  @Test
  void keepsStreamDataAndEnforcesConnectionMaxData() {
    int max = ReceiverLimits.maxDataBytesPerConnection;
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);
    byte[] first = randomBytes(10_000);

    assertThat(sender.send(0, new StreamData(1, 0, first)).fulfilled()).isTrue();
    assertThat(sender.send(0, new StreamData(1, 10_000, randomBytes(max - 10_000))).fulfilled())
        .isTrue();
    // A resent frame (same offset, same bytes) is not new data.
    assertThat(sender.send(0, new StreamData(1, 0, first)).fulfilled()).isTrue();

    Reply beyond = sender.send(0, new StreamData(1, max, randomBytes(1)));

    assertThat(beyond.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(beyond.frame(ConnectionClose.class).errorCode())
        .isEqualTo(StreamErrorCode.FLOW_CONTROL_ERROR);
    assertThat(onlyConnection(account).get("closed").asBoolean()).isTrue();

    // The limit is per connection, across its streams.
    String acrossStreams = newAccount();
    TestSender other = TestSender.open(inlet, acrossStreams);
    Reply full =
        other.send(
            0,
            new StreamData(1, 0, randomBytes(max / 2)),
            new StreamData(3, 0, randomBytes(max / 2)));
    assertThat(full.fulfilled()).isTrue();

    Reply oneMore = other.send(0, new StreamData(5, 0, randomBytes(1)));

    assertThat(oneMore.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(oneMore.frame(ConnectionClose.class).errorCode())
        .isEqualTo(StreamErrorCode.FLOW_CONTROL_ERROR);
    assertThat(onlyConnection(acrossStreams).get("closed").asBoolean()).isTrue();
  }

  @Test
  void rejectsMoneyWithoutStreamMoneyFrame() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);

    Reply noFrame = sender.send(100);
    Reply noShares = sender.send(100, new StreamMoney(1, 0));

    assertThat(noFrame.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(noFrame.stream().prepareAmount()).isEqualTo(100);
    assertThat(noShares.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(inlet.balance(account)).isZero();
  }
}
