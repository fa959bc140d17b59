package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Function;
import org.interledger.codecs.ilp.InterledgerCodecContextFactory;
import org.interledger.codecs.stream.StreamCodecContextFactory;
import org.interledger.core.InterledgerAddress;
import org.interledger.core.InterledgerPreparePacket;
import org.interledger.core.InterledgerResponsePacket;
import org.interledger.encoding.asn.framework.CodecContext;
import org.interledger.spsp.StreamConnectionDetails;
import org.interledger.stream.Denomination;
import org.interledger.stream.crypto.AesGcmStreamEncryptionService;
import org.interledger.stream.receiver.SpspStreamConnectionGenerator;
import org.interledger.stream.receiver.StatelessStreamReceiver;

/**
 * Quilt's stateless STREAM receiver (stream-receiver 1.3.1), in process: packets cross as bytes
 * through each side's own codec, as they would on the wire.
 */
final class QuiltReceiver implements Function<IlpPrepare, IlpPacket> {
  static final InterledgerAddress address = InterledgerAddress.of("test.quilt.receiver");

  private final CodecContext ilp = InterledgerCodecContextFactory.oer();
  private final StatelessStreamReceiver receiver;
  private final Denomination denomination;
  final IlpAddress destination;
  final byte[] sharedSecret;

  QuiltReceiver(String assetCode, int assetScale) {
    byte[] serverSecret = new byte[32];
    new java.security.SecureRandom().nextBytes(serverSecret);
    receiver =
        new StatelessStreamReceiver(
            () -> serverSecret,
            new SpspStreamConnectionGenerator(),
            new AesGcmStreamEncryptionService(),
            StreamCodecContextFactory.oer());
    denomination =
        Denomination.builder().assetCode(assetCode).assetScale((short) assetScale).build();
    StreamConnectionDetails details = receiver.setupStream(address);
    destination = IlpAddress.of(details.destinationAddress().getValue());
    sharedSecret = details.sharedSecret().key();
  }

  @Override
  public IlpPacket apply(IlpPrepare prepare) {
    try {
      InterledgerPreparePacket quiltPrepare =
          ilp.read(
              InterledgerPreparePacket.class, new ByteArrayInputStream(IlpCodec.encode(prepare)));
      InterledgerResponsePacket response =
          receiver.receiveMoney(quiltPrepare, address, denomination);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ilp.write(response, out);
      return IlpCodec.decode(out.toByteArray());
    } catch (IOException | dev.inlet.codec.oer.DecodeException e) {
      throw new AssertionError(e);
    }
  }
}
