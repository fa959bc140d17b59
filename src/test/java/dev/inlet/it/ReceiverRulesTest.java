package dev.inlet.it;

import static dev.inlet.it.TestSender.expiringAt;
import static dev.inlet.it.TestSender.randomBytes;
import static dev.inlet.it.TestSender.unfulfillable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.stream.ConnectionAssetDetails;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.ConnectionMaxData;
import dev.inlet.codec.stream.ConnectionMaxStreamId;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamReceipt;
import dev.inlet.it.TestSender.Reply;
import dev.inlet.stream.ReceiverLimits;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The STREAM receiver's packet rules (RFC 0029; receipts, RFC 0039), one test each, end to end: a
 * {@link TestSender} queries SPSP and posts Prepares to a real Inlet, and each test checks what
 * came back — codes, bytes, the decrypted reply frames — and what the ledger recorded. Every test
 * pays into accounts of its own. Streams and the connection's lifecycle: {@link StreamRulesTest}.
 */
class ReceiverRulesTest extends ReceiverTest {
  @Test
  void fulfillsValidPrepareAndCreditsTheAccount() throws Exception {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);
    IlpPrepare prepare = sender.prepare(1_000, 1, 900, money(1));

    Reply reply = sender.post(prepare);

    assertThat(sha256(reply.fulfill().fulfillment())).isEqualTo(prepare.executionCondition());
    assertThat(reply.stream().ilpPacketType()).isEqualTo(IlpPacketType.FULFILL);
    assertThat(reply.stream().sequence()).isEqualTo(1);
    assertThat(reply.stream().prepareAmount()).isEqualTo(1_000);
    assertThat(reply.frame(StreamMaxMoney.class))
        .isEqualTo(new StreamMaxMoney(1, maxUint64, 1_000));
    assertThat(inlet.balance(account)).isEqualTo(1_000);

    Reply next = sender.post(sender.prepare(234, 2, 0, money(1)));
    assertThat(next.stream().sequence()).isEqualTo(2);
    assertThat(next.stream().prepareAmount()).isEqualTo(234);
    assertThat(next.frame(StreamMaxMoney.class).totalReceived()).isEqualTo(1_234);
    assertThat(inlet.balance(account)).isEqualTo(1_234);
  }

  @Test
  void rejectsUndecryptableDataWithF06() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);
    IlpPrepare valid = sender.prepare(100, 1, 0, money(1));
    byte[] flipped = valid.data().clone();
    flipped[flipped.length - 1] ^= 1;

    IlpPrepare garbage = withData(valid, randomBytes(300));
    IlpPrepare shorterThanIvAndTag = withData(valid, randomBytes(27));
    IlpPrepare alteredCiphertext = withData(valid, flipped);
    IlpPrepare tamperedToken =
        new IlpPrepare(
            valid.amount(),
            valid.expiresAt(),
            valid.executionCondition(),
            tamperToken(sender.destination),
            valid.data());

    for (IlpPrepare p :
        new IlpPrepare[] {garbage, shorterThanIvAndTag, alteredCiphertext, tamperedToken}) {
      Reply reply = sender.post(p);
      assertThat(reply.reject().code())
          .as(p.toString())
          .isEqualTo(IlpErrorCode.F06_UNEXPECTED_PAYMENT);
      assertThat(reply.reject().data()).isEmpty();
    }
    assertThat(inlet.balance(account)).isZero();
    assertThat(connections(account)).isEmpty();
  }

  @Test
  void rejectsExpiredAndNearlyExpiredPreparesWithR00() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);
    IlpPrepare prepare = sender.prepare(100, 1, 0, money(1));

    Reply expired = sender.post(expiringAt(prepare, Instant.now().minusSeconds(1)));
    Reply nearlyExpired = sender.post(expiringAt(prepare, Instant.now().plusMillis(200)));

    assertThat(expired.reject().code()).isEqualTo(IlpErrorCode.R00_TRANSFER_TIMED_OUT);
    assertThat(nearlyExpired.reject().code()).isEqualTo(IlpErrorCode.R00_TRANSFER_TIMED_OUT);
    assertThat(inlet.balance(account)).isZero();
    // The same packet with time to spare is fine: it was the expiry that was refused.
    assertThat(sender.post(prepare).fulfilled()).isTrue();
    assertThat(inlet.balance(account)).isEqualTo(100);
  }

  @Test
  void rejectsAmountBelowSendersMinimumWithF99() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);

    Reply reply = sender.post(sender.prepare(99, 1, 100, money(1)));

    assertThat(reply.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(reply.stream().ilpPacketType()).isEqualTo(IlpPacketType.REJECT);
    assertThat(reply.stream().sequence()).isEqualTo(1);
    assertThat(reply.stream().prepareAmount()).isEqualTo(99);
    assertThat(inlet.balance(account)).isZero();
    assertThat(sender.post(sender.prepare(100, 2, 100, money(1))).fulfilled()).isTrue();
    assertThat(inlet.balance(account)).isEqualTo(100);
  }

  @Test
  void answersUnfulfillableProbeWithF99AndReply() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);

    Reply reply = sender.post(unfulfillable(sender.prepare(5_000, 1, 0, money(1))));

    assertThat(reply.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(reply.stream().ilpPacketType()).isEqualTo(IlpPacketType.REJECT);
    assertThat(reply.stream().sequence()).isEqualTo(1);
    assertThat(reply.stream().prepareAmount()).isEqualTo(5_000);
    assertThat(reply.frame(StreamMaxMoney.class)).isEqualTo(new StreamMaxMoney(1, maxUint64, 0));
    assertThat(inlet.balance(account)).isZero();
  }

  @Test
  void answersConnectionNewAddressWithConnectionAssetDetails() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);

    Reply reply = sender.send(0, new ConnectionNewAddress(IlpAddress.of("test.sender.alice")));

    assertThat(reply.fulfilled()).isTrue();
    assertThat(reply.frame(ConnectionAssetDetails.class))
        .isEqualTo(new ConnectionAssetDetails("USD", 9));
    assertThat(reply.frame(ConnectionMaxStreamId.class))
        .isEqualTo(new ConnectionMaxStreamId(ReceiverLimits.maxStreamId));
    assertThat(reply.frame(ConnectionMaxData.class))
        .isEqualTo(new ConnectionMaxData(ReceiverLimits.maxDataBytesPerConnection));
    assertThat(onlyConnection(account).get("source_address").asString())
        .isEqualTo("test.sender.alice");

    // Senders usually announce themselves in an unfulfillable probe: that reply tells the asset
    // too.
    TestSender prober = TestSender.open(inlet, account);
    Reply probe =
        prober.post(
            unfulfillable(
                prober.prepare(
                    0, 1, 0, new ConnectionNewAddress(IlpAddress.of("test.sender.bob")))));
    assertThat(probe.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(probe.frame(ConnectionAssetDetails.class))
        .isEqualTo(new ConnectionAssetDetails("USD", 9));
  }

  @Test
  void retriedPrepareIsFulfilledAgainAndCreditedOnce() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);
    byte[] prepare = IlpCodec.encode(sender.prepare(500, 1, 0, money(1)));

    Reply first = sender.post(prepare);
    Reply retry = sender.post(prepare);

    assertThat(retry.fulfill().fulfillment()).isEqualTo(first.fulfill().fulfillment());
    assertThat(retry.frame(StreamMaxMoney.class).totalReceived()).isEqualTo(500);
    assertThat(inlet.balance(account)).isEqualTo(500);

    Reply reEncrypted = sender.post(sender.prepare(500, 1, 0, money(1)));
    assertThat(reEncrypted.fulfilled()).isTrue();
    assertThat(reEncrypted.frame(StreamMaxMoney.class).totalReceived()).isEqualTo(500);
    assertThat(inlet.balance(account)).isEqualTo(500);
    assertThat(onlyConnection(account).get("total_received").asString()).isEqualTo("500");
  }

  @Test
  void retriedPrepareThatClosedTheConnectionIsFulfilledAgain() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);
    byte[] prepare =
        IlpCodec.encode(
            sender.prepare(
                500, 1, 0, money(1), new ConnectionClose(StreamErrorCode.NO_ERROR, "done")));

    Reply first = sender.post(prepare);
    // The connector lost the Fulfill and sends the same Prepare again, on a connection now closed.
    Reply retry = sender.post(prepare);

    assertThat(first.fulfilled()).isTrue();
    assertThat(retry.fulfill().fulfillment()).isEqualTo(first.fulfill().fulfillment());
    assertThat(retry.frame(StreamMaxMoney.class).totalReceived()).isEqualTo(500);
    assertThat(inlet.balance(account)).isEqualTo(500);
    assertThat(onlyConnection(account).get("closed").asBoolean()).isTrue();
    assertThat(onlyConnection(account).get("total_received").asString()).isEqualTo("500");

    // Not a retry: the same sequence with another amount, or a new one, finds the connection
    // closed.
    Reply otherAmount = sender.post(sender.prepare(600, 1, 0, money(1)));
    Reply next = sender.post(sender.prepare(100, 2, 0, money(1)));
    for (Reply refused : List.of(otherAmount, next)) {
      assertThat(refused.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
      assertThat(refused.frames(ConnectionClose.class)).hasSize(1);
    }
    assertThat(inlet.balance(account)).isEqualTo(500);
  }

  @Test
  void rejectsSequenceReusedWithAnotherAmount() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);
    assertThat(sender.post(sender.prepare(500, 1, 0, money(1))).fulfilled()).isTrue();

    Reply reused = sender.post(sender.prepare(600, 1, 0, money(1)));

    assertThat(reused.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(reused.stream().sequence()).isEqualTo(1);
    assertThat(reused.stream().prepareAmount()).isEqualTo(600);
    assertThat(inlet.balance(account)).isEqualTo(500);
  }

  @Test
  void rejectsCreditThatWouldOverflowUint64() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);
    Reply all = sender.send(maxUint64, money(1));
    assertThat(all.frame(StreamMaxMoney.class))
        .isEqualTo(new StreamMaxMoney(1, maxUint64, maxUint64));

    Reply sameConnection = sender.send(1, money(1));
    Reply newConnection = TestSender.open(inlet, account).send(1, money(1));

    assertThat(sameConnection.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(newConnection.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(accountJson(account).get("balance").asString()).isEqualTo("18446744073709551615");
    assertThat(accountJson(account).get("received").asString()).isEqualTo("18446744073709551615");
  }

  @Test
  void receiveLimitIsEnforcedAndAdvertised() {
    String account = newAccount("1000");
    TestSender sender = TestSender.open(inlet, account);

    Reply first = sender.send(600, money(1));
    Reply over = sender.send(600, money(1));
    Reply rest = sender.send(400, money(1));
    Reply beyond = sender.send(1, money(1));

    assertThat(first.frame(StreamMaxMoney.class)).isEqualTo(new StreamMaxMoney(1, 1_000, 600));
    assertThat(over.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(over.reject().message()).startsWith("receiver-quota: ");
    assertThat(over.frame(StreamMaxMoney.class)).isEqualTo(new StreamMaxMoney(1, 1_000, 600));
    assertThat(rest.frame(StreamMaxMoney.class)).isEqualTo(new StreamMaxMoney(1, 1_000, 1_000));
    assertThat(rest.fulfilled()).isTrue();
    assertThat(beyond.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(inlet.balance(account)).isEqualTo(1_000);
  }

  @Test
  void sendsStreamReceiptsWhenAskedFor() throws Exception {
    String account = newAccount();
    byte[] nonce = randomBytes(16);
    byte[] secret = randomBytes(32);
    TestSender sender = TestSender.open(inlet, account, nonce, secret);
    assertThat(sender.receiptsEnabled).isTrue();

    Reply first = sender.send(300, money(1));
    Reply second = sender.send(200, money(1));
    Reply twoStreams = sender.send(100, money(1), money(3));

    assertReceipt(first.frame(StreamReceipt.class), nonce, secret, 1, 300);
    assertReceipt(second.frame(StreamReceipt.class), nonce, secret, 1, 500);
    assertThat(twoStreams.frames(StreamReceipt.class)).hasSize(2);
    assertReceipt(twoStreams.frames(StreamReceipt.class).get(0), nonce, secret, 1, 550);
    assertReceipt(twoStreams.frames(StreamReceipt.class).get(1), nonce, secret, 3, 50);

    TestSender withoutReceipts = TestSender.open(inlet, account);
    assertThat(withoutReceipts.receiptsEnabled).isFalse();
    Reply plain = withoutReceipts.send(300, money(1));
    assertThat(plain.fulfilled()).isTrue();
    assertThat(plain.frames(StreamReceipt.class)).isEmpty();
  }
}
