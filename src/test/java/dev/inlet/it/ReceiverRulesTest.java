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
import dev.inlet.codec.stream.StreamClose;
import dev.inlet.codec.stream.StreamData;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamReceipt;
import dev.inlet.it.TestSender.Reply;
import dev.inlet.stream.ReceiverLimits;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import tools.jackson.databind.JsonNode;

/**
 * The STREAM receiver's rules (RFC 0029; receipts, RFC 0039), one test each, end to end: a {@link TestSender}
 * queries SPSP and posts Prepares to a real Inlet, and each test checks what came back — codes, bytes, the
 * decrypted reply frames — and what the ledger recorded. Every test pays into accounts of its own.
 */
class ReceiverRulesTest extends InletPerClass {
  /** 2^64-1 as the long holding its unsigned bits. */
  static final long maxUint64 = -1L;

  private String testName;
  private int accounts;

  @BeforeEach
  void name(TestInfo test) {
    testName = test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void ledgerStaysConsistent() {
    HttpResponse<String> r = inlet.adminGet("/admin/ledger/check");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(TestInlet.json.readTree(r.body()).get("consistent").asBoolean()).isTrue();
  }

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
    assertThat(reply.frame(StreamMaxMoney.class)).isEqualTo(new StreamMaxMoney(1, maxUint64, 1_000));
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
    IlpPrepare tamperedToken = new IlpPrepare(valid.amount(), valid.expiresAt(), valid.executionCondition(),
        tamperToken(sender.destination), valid.data());

    for (IlpPrepare p : new IlpPrepare[] {garbage, shorterThanIvAndTag, alteredCiphertext, tamperedToken}) {
      Reply reply = sender.post(p);
      assertThat(reply.reject().code()).as(p.toString()).isEqualTo(IlpErrorCode.F06_UNEXPECTED_PAYMENT);
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
    assertThat(reply.frame(ConnectionAssetDetails.class)).isEqualTo(new ConnectionAssetDetails("USD", 9));
    assertThat(reply.frame(ConnectionMaxStreamId.class))
        .isEqualTo(new ConnectionMaxStreamId(ReceiverLimits.maxStreamId));
    assertThat(reply.frame(ConnectionMaxData.class))
        .isEqualTo(new ConnectionMaxData(ReceiverLimits.maxDataBytesPerConnection));
    assertThat(onlyConnection(account).get("source_address").asString()).isEqualTo("test.sender.alice");

    // Senders usually announce themselves in an unfulfillable probe: that reply tells the asset too.
    TestSender prober = TestSender.open(inlet, account);
    Reply probe =
        prober.post(unfulfillable(prober.prepare(0, 1, 0, new ConnectionNewAddress(IlpAddress.of("test.sender.bob")))));
    assertThat(probe.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(probe.frame(ConnectionAssetDetails.class)).isEqualTo(new ConnectionAssetDetails("USD", 9));
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
  void splitsMoneyBetweenStreamsByShares() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);

    Reply reply = sender.send(100, new StreamMoney(1, 5), new StreamMoney(3, 15), new StreamMoney(5, 30));

    assertThat(totals(reply)).isEqualTo(Map.of(1L, 10L, 3L, 30L, 5L, 60L));

    // 101 in three equal shares: 33 each, rounded down, and the remainder 2 to the lowest stream.
    Reply uneven = sender.send(101, new StreamMoney(7, 1), new StreamMoney(9, 1), new StreamMoney(11, 1));

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
    assertThat(serverStream.frame(ConnectionClose.class).errorCode()).isEqualTo(StreamErrorCode.PROTOCOL_VIOLATION);
    assertClosed(even, evenAccount);

    String largeAccount = newAccount();
    TestSender large = TestSender.open(inlet, largeAccount);

    Reply beyondMax = large.send(100, new StreamMoney(ReceiverLimits.maxStreamId + 2, 1));

    assertThat(beyondMax.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(beyondMax.frame(ConnectionClose.class).errorCode()).isEqualTo(StreamErrorCode.STREAM_ID_ERROR);
    assertClosed(large, largeAccount);

    // The largest advertised stream id itself is fine.
    String boundaryAccount = newAccount();
    assertThat(TestSender.open(inlet, boundaryAccount).send(100, money(ReceiverLimits.maxStreamId)).fulfilled())
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
    assertThat(sender.send(0, new StreamData(1, 10_000, randomBytes(max - 10_000))).fulfilled()).isTrue();
    // A resent frame (same offset, same bytes) is not new data.
    assertThat(sender.send(0, new StreamData(1, 0, first)).fulfilled()).isTrue();

    Reply beyond = sender.send(0, new StreamData(1, max, randomBytes(1)));

    assertThat(beyond.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(beyond.frame(ConnectionClose.class).errorCode()).isEqualTo(StreamErrorCode.FLOW_CONTROL_ERROR);
    assertThat(onlyConnection(account).get("closed").asBoolean()).isTrue();

    // The limit is per connection, across its streams.
    String acrossStreams = newAccount();
    TestSender other = TestSender.open(inlet, acrossStreams);
    Reply full = other.send(0, new StreamData(1, 0, randomBytes(max / 2)), new StreamData(3, 0, randomBytes(max / 2)));
    assertThat(full.fulfilled()).isTrue();

    Reply oneMore = other.send(0, new StreamData(5, 0, randomBytes(1)));

    assertThat(oneMore.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(oneMore.frame(ConnectionClose.class).errorCode()).isEqualTo(StreamErrorCode.FLOW_CONTROL_ERROR);
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

  @Test
  void rejectsCreditThatWouldOverflowUint64() {
    String account = newAccount();
    TestSender sender = TestSender.open(inlet, account);
    Reply all = sender.send(maxUint64, money(1));
    assertThat(all.frame(StreamMaxMoney.class)).isEqualTo(new StreamMaxMoney(1, maxUint64, maxUint64));

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

  // --- helpers ---

  private String newAccount() {
    return newAccount(null);
  }

  /** A fresh account named for the running test. */
  private String newAccount(String receiveLimit) {
    String name = testName + (++accounts == 1 ? "" : "-" + accounts);
    inlet.createAccount(name, receiveLimit);
    return name;
  }

  private static StreamMoney money(long streamId) {
    return new StreamMoney(streamId, 1);
  }

  private static IlpPrepare withData(IlpPrepare p, byte[] data) {
    return new IlpPrepare(p.amount(), p.expiresAt(), p.executionCondition(), p.destination(), data);
  }

  /** The destination with one character of its connection token (the last segment) changed. */
  private static IlpAddress tamperToken(IlpAddress destination) {
    String address = destination.value();
    int i = address.lastIndexOf('.') + 20;
    char replacement = address.charAt(i) == 'A' ? 'B' : 'A';
    return IlpAddress.of(address.substring(0, i) + replacement + address.substring(i + 1));
  }

  /**
   * That the connection is closed: money on it is refused with a ConnectionClose in the reply, nothing was credited,
   * and the admin view shows it closed.
   */
  private static void assertClosed(TestSender sender, String account) {
    Reply money = sender.send(100, money(1));
    assertThat(money.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(money.frames(ConnectionClose.class)).hasSize(1);
    assertThat(inlet.balance(account)).isZero();
    assertThat(onlyConnection(account).get("closed").asBoolean()).isTrue();
  }

  private static void assertReceipt(StreamReceipt frame, byte[] nonce, byte[] secret, int streamId, long total)
      throws Exception {
    byte[] receipt = frame.receipt();
    assertThat(frame.streamId()).isEqualTo(streamId);
    assertThat(receipt).hasSize(58);
    ByteBuffer fields = ByteBuffer.wrap(receipt);
    assertThat(fields.get()).as("version").isEqualTo((byte) 1);
    byte[] echoedNonce = new byte[16];
    fields.get(echoedNonce);
    assertThat(echoedNonce).as("nonce").isEqualTo(nonce);
    assertThat(fields.get() & 0xff).as("stream id").isEqualTo(streamId);
    assertThat(fields.getLong()).as("total received").isEqualTo(total);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    mac.update(receipt, 0, 26);
    assertThat(Arrays.copyOfRange(receipt, 26, 58)).as("HMAC").isEqualTo(mac.doFinal());
  }

  /** Each stream's total received, from the reply's StreamMaxMoney frames. */
  private static Map<Long, Long> totals(Reply reply) {
    Map<Long, Long> totals = new TreeMap<>();
    reply.frames(StreamMaxMoney.class).forEach(m -> totals.put(m.streamId(), m.totalReceived()));
    return totals;
  }

  private static Map<Long, Long> streamsReceived(JsonNode connection) {
    Map<Long, Long> received = new TreeMap<>();
    connection.get("streams").forEach(s ->
        received.put(s.get("stream_id").asLong(), Long.parseUnsignedLong(s.get("received").asString())));
    return received;
  }

  private static JsonNode accountJson(String account) {
    HttpResponse<String> r = inlet.adminGet("/admin/accounts/" + account);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
  }

  private static JsonNode connections(String account) {
    HttpResponse<String> r = inlet.adminGet("/admin/accounts/" + account + "/connections");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body()).get("connections");
  }

  private static JsonNode onlyConnection(String account) {
    JsonNode connections = connections(account);
    assertThat(StreamSupport.stream(connections.spliterator(), false).count()).as(connections.toString())
        .isEqualTo(1);
    return connections.get(0);
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
