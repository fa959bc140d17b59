package dev.inlet.it;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.StreamKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A small STREAM sender for tests, built on Inlet's own codec and crypto: it asks Inlet's SPSP
 * endpoint for a connection (RFC 0009), encrypts STREAM Prepares into ILP Prepares (RFC 0029 §5),
 * posts them to {@code /ilp} as the connector would (RFC 0035), and decrypts the STREAM reply in
 * the Fulfill or Reject.
 */
final class TestSender {
  /** How long a Prepare lives unless a test says otherwise: plenty for a local round trip. */
  static final Duration defaultExpiry = Duration.ofSeconds(30);

  static final SecureRandom random = new SecureRandom();

  private final TestInlet inlet;
  final IlpAddress destination;
  final StreamKeys keys;

  /** The SPSP response's {@code receipts_enabled}, or null when it had none. */
  final Boolean receiptsEnabled;

  private long lastSequence;

  private TestSender(
      TestInlet inlet, IlpAddress destination, byte[] sharedSecret, Boolean receiptsEnabled) {
    this.inlet = inlet;
    this.destination = destination;
    this.keys = StreamKeys.derive(sharedSecret);
    this.receiptsEnabled = receiptsEnabled;
  }

  /** Opens a connection to {@code account} with an SPSP query, without receipts. */
  static TestSender open(TestInlet inlet, String account) {
    return open(inlet, account, null, null);
  }

  /**
   * Opens a connection to {@code account}; with a receipt nonce (16 bytes) and secret (32 bytes) it
   * asks for receipts (RFC 0039).
   */
  static TestSender open(
      TestInlet inlet, String account, byte[] receiptNonce, byte[] receiptSecret) {
    HttpRequest.Builder query =
        HttpRequest.newBuilder(URI.create(inlet.url("/" + account)))
            .header("Accept", "application/spsp4+json")
            .GET();
    if (receiptNonce != null) {
      query
          .header("Receipt-Nonce", Base64.getEncoder().encodeToString(receiptNonce))
          .header("Receipt-Secret", Base64.getEncoder().encodeToString(receiptSecret));
    }
    HttpResponse<String> r = inlet.send(query);
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (r.statusCode() != 200 || !type.startsWith("application/spsp4+json")) {
      throw new AssertionError("SPSP query: " + r.statusCode() + " " + type + " " + r.body());
    }
    return answered(inlet, r.body());
  }

  /** A connection on the credentials of an SPSP answer's body (JSON), posting to {@code inlet}. */
  static TestSender answered(TestInlet inlet, String body) {
    JsonNode details = TestInlet.json.readTree(body);
    return new TestSender(
        inlet,
        IlpAddress.of(details.get("destination_account").asString()),
        Base64.getDecoder().decode(details.get("shared_secret").asString()),
        details.has("receipts_enabled") ? details.get("receipts_enabled").asBoolean() : null);
  }

  /**
   * A sender for a connection whose SPSP details were fetched elsewhere (an Inlet in another
   * process); it builds and decrypts packets but does not post them.
   */
  static TestSender of(IlpAddress destination, byte[] sharedSecret) {
    return new TestSender(null, destination, sharedSecret, null);
  }

  /** The next unused sequence number of this connection: 1, 2, 3... */
  long nextSequence() {
    return ++lastSequence;
  }

  /**
   * A fulfillable ILP Prepare of {@code amount} carrying an encrypted STREAM Prepare, expiring in
   * 30 s.
   *
   * @param minimum the STREAM {@code prepareAmount}: the least the receiver may accept
   */
  IlpPrepare prepare(long amount, long sequence, long minimum, StreamFrame... frames) {
    return prepare(
        amount,
        StreamCodec.encode(
            new StreamPacket(IlpPacketType.PREPARE, sequence, minimum, List.of(frames))));
  }

  /**
   * A fulfillable ILP Prepare of {@code amount} carrying {@code plaintext} encrypted, whatever it
   * holds.
   */
  IlpPrepare prepare(long amount, byte[] plaintext) {
    byte[] data = keys.encrypt(plaintext);
    return new IlpPrepare(
        amount,
        Instant.now().plus(defaultExpiry),
        Conditions.condition(keys.fulfillment(data)),
        destination,
        data);
  }

  /** Sends {@code amount} on the next sequence with {@code frames} and no minimum. */
  Reply send(long amount, StreamFrame... frames) {
    return post(prepare(amount, nextSequence(), 0, frames));
  }

  Reply post(IlpPrepare prepare) {
    return post(IlpCodec.encode(prepare));
  }

  /** Posts an encoded packet to {@code /ilp}; Inlet must answer 200 with a Fulfill or Reject. */
  Reply post(byte[] body) {
    HttpResponse<byte[]> r = inlet.postIlp(body);
    if (r.statusCode() != 200) {
      throw new AssertionError("POST /ilp: " + r.statusCode() + " " + new String(r.body()));
    }
    return reply(r.body());
  }

  /** Decodes a response body and decrypts the STREAM reply it carries, if any. */
  Reply reply(byte[] body) {
    IlpPacket packet;
    try {
      packet = IlpCodec.decode(body);
    } catch (DecodeException e) {
      throw new AssertionError("response is not an ILP packet", e);
    }
    if (packet instanceof IlpPrepare) {
      throw new AssertionError("response is a Prepare");
    }
    return new Reply(packet, decrypt(packet.data()));
  }

  /**
   * The STREAM packet in {@code data}, or null when there is none; data that does not decrypt fails
   * the test.
   */
  StreamPacket decrypt(byte[] data) {
    if (data.length == 0) {
      return null;
    }
    try {
      return StreamCodec.decode(keys.decrypt(data));
    } catch (DecryptionException | DecodeException e) {
      throw new AssertionError("reply data is not a STREAM packet for this connection", e);
    }
  }

  /** This Prepare with another expiry; its condition still matches. */
  static IlpPrepare expiringAt(IlpPrepare p, Instant expiresAt) {
    return new IlpPrepare(p.amount(), expiresAt, p.executionCondition(), p.destination(), p.data());
  }

  /** This Prepare with a random condition: an unfulfillable probe. */
  static IlpPrepare unfulfillable(IlpPrepare p) {
    return new IlpPrepare(p.amount(), p.expiresAt(), randomBytes(32), p.destination(), p.data());
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * Inlet's answer: the Fulfill or Reject and the STREAM reply decrypted from its data (null when
   * it has none).
   */
  record Reply(IlpPacket packet, StreamPacket stream) {
    boolean fulfilled() {
      return packet instanceof IlpFulfill;
    }

    IlpFulfill fulfill() {
      if (packet instanceof IlpFulfill f) {
        return f;
      }
      throw new AssertionError("expected a Fulfill but got " + packet);
    }

    IlpReject reject() {
      if (packet instanceof IlpReject r) {
        return r;
      }
      throw new AssertionError("expected a Reject but got " + packet);
    }

    /** The reply's frames of one type, in order. */
    <T extends StreamFrame> List<T> frames(Class<T> type) {
      if (stream == null) {
        throw new AssertionError("no STREAM reply in " + packet);
      }
      return stream.frames().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The reply's only frame of that type. */
    <T extends StreamFrame> T frame(Class<T> type) {
      List<T> found = frames(type);
      if (found.size() != 1) {
        throw new AssertionError(
            "expected one " + type.getSimpleName() + " in " + stream + " but got " + found.size());
      }
      return found.get(0);
    }
  }
}
