package dev.inlet.codec.ilp;

import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.oer.OerReader;
import dev.inlet.codec.oer.OerWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * The Interledger Dynamic Configuration Protocol (RFC 0031): a child asks its parent connector for
 * its ILP address and asset with a zero-amount Prepare to {@code peer.config}; the parent answers
 * with a Fulfill whose fulfillment is 32 zero bytes and whose data is {@code clientAddress
 * var-octet-string (ASCII) | assetScale UInt8 | assetCode var-octet-string (UTF-8)}. A Reject means
 * the parent would not say.
 */
public final class Ildcp {
  /** Where the request goes (RFC 0031 "Request"). */
  public static final IlpAddress destination = IlpAddress.of("peer.config");

  /** How long the request is valid, as the JS reference {@code ilp-protocol-ildcp} sends it. */
  public static final Duration expiry = Duration.ofSeconds(60);

  /** The fixed fulfillment of peer protocols: 32 zero bytes. */
  private static final byte[] fulfillment = new byte[Packets.hashBytes];

  /** SHA-256 of {@link #fulfillment}: the condition every ILDCP request carries. */
  private static final byte[] condition =
      Base64.getDecoder().decode("Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU=");

  private Ildcp() {}

  /** The request Prepare, expiring {@link #expiry} after {@code now}. */
  public static IlpPrepare request(Instant now) {
    return new IlpPrepare(0, now.plus(expiry), condition.clone(), destination, new byte[0]);
  }

  /**
   * Reads the parent's answer from the Fulfill to {@link #request}.
   *
   * @throws DecodeException if the fulfillment is not the peer protocols' or the data is not an
   *     ILDCP response (a bad address, a missing field, bytes after the last)
   */
  public static IldcpResponse readResponse(IlpFulfill fulfill) throws DecodeException {
    if (!Arrays.equals(fulfill.fulfillment(), fulfillment)) {
      throw new DecodeException("ILDCP fulfillment must be 32 zero bytes", 0);
    }
    OerReader r = new OerReader(fulfill.data());
    IlpAddress clientAddress = IlpAddress.read(r);
    int assetScale = r.readUint8();
    String assetCode = r.readVarString(StandardCharsets.UTF_8);
    r.requireEnd("the ILDCP response");
    return new IldcpResponse(clientAddress, assetScale, assetCode);
  }

  /** The Fulfill a parent sends for {@code response} (for a parent, or a test playing one). */
  public static IlpFulfill fulfill(IldcpResponse response) {
    byte[] code = response.assetCode().getBytes(StandardCharsets.UTF_8);
    OerWriter w = new OerWriter(response.clientAddress().value().length() + code.length + 8);
    response.clientAddress().write(w);
    w.writeUint8(response.assetScale());
    w.writeVarOctetString(code);
    return new IlpFulfill(fulfillment.clone(), w.toByteArray());
  }
}
