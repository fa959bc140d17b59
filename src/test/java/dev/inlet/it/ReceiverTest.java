package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamReceipt;
import dev.inlet.it.TestSender.Reply;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import tools.jackson.databind.JsonNode;

/**
 * Base of the receiver's end-to-end rule tests ({@link ReceiverRulesTest}, {@link
 * StreamRulesTest}): a running Inlet, an account of its own for each test, the ledger check after
 * each, and the helpers they share.
 */
abstract class ReceiverTest extends InletPerClass {
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

  String newAccount() {
    return newAccount(null);
  }

  /** A fresh account named for the running test. */
  String newAccount(String receiveLimit) {
    String name = testName + (++accounts == 1 ? "" : "-" + accounts);
    inlet.createAccount(name, receiveLimit);
    return name;
  }

  static StreamMoney money(long streamId) {
    return new StreamMoney(streamId, 1);
  }

  static IlpPrepare withData(IlpPrepare p, byte[] data) {
    return new IlpPrepare(p.amount(), p.expiresAt(), p.executionCondition(), p.destination(), data);
  }

  /** The destination with one character of its connection token (the last segment) changed. */
  static IlpAddress tamperToken(IlpAddress destination) {
    String address = destination.value();
    int i = address.lastIndexOf('.') + 20;
    char replacement = address.charAt(i) == 'A' ? 'B' : 'A';
    return IlpAddress.of(address.substring(0, i) + replacement + address.substring(i + 1));
  }

  /**
   * That the connection is closed: money on it is refused with a ConnectionClose in the reply,
   * nothing was credited, and the admin view shows it closed.
   */
  static void assertClosed(TestSender sender, String account) {
    Reply money = sender.send(100, money(1));
    assertThat(money.reject().code()).isEqualTo(IlpErrorCode.F99_APPLICATION_ERROR);
    assertThat(money.frames(ConnectionClose.class)).hasSize(1);
    assertThat(inlet.balance(account)).isZero();
    assertThat(onlyConnection(account).get("closed").asBoolean()).isTrue();
  }

  static void assertReceipt(
      StreamReceipt frame, byte[] nonce, byte[] secret, int streamId, long total) throws Exception {
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
  static Map<Long, Long> totals(Reply reply) {
    Map<Long, Long> totals = new TreeMap<>();
    reply.frames(StreamMaxMoney.class).forEach(m -> totals.put(m.streamId(), m.totalReceived()));
    return totals;
  }

  static Map<Long, Long> streamsReceived(JsonNode connection) {
    Map<Long, Long> received = new TreeMap<>();
    connection
        .get("streams")
        .forEach(
            s ->
                received.put(
                    s.get("stream_id").asLong(),
                    Long.parseUnsignedLong(s.get("received").asString())));
    return received;
  }

  static JsonNode accountJson(String account) {
    HttpResponse<String> r = inlet.adminGet("/admin/accounts/" + account);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body());
  }

  static JsonNode connections(String account) {
    HttpResponse<String> r = inlet.adminGet("/admin/accounts/" + account + "/connections");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestInlet.json.readTree(r.body()).get("connections");
  }

  static JsonNode onlyConnection(String account) {
    JsonNode connections = connections(account);
    assertThat(StreamSupport.stream(connections.spliterator(), false).count())
        .as(connections.toString())
        .isEqualTo(1);
    return connections.get(0);
  }

  static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
