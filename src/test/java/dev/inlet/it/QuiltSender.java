package dev.inlet.it;

import com.google.common.primitives.UnsignedLong;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import org.interledger.codecs.ilp.InterledgerCodecContextFactory;
import org.interledger.core.InterledgerAddress;
import org.interledger.core.InterledgerErrorCode;
import org.interledger.core.InterledgerPreparePacket;
import org.interledger.core.InterledgerRejectPacket;
import org.interledger.core.InterledgerResponsePacket;
import org.interledger.link.http.IlpOverHttpLink;
import org.interledger.spsp.PaymentPointer;
import org.interledger.spsp.StreamConnectionDetails;
import org.interledger.spsp.client.SimpleSpspClient;
import org.interledger.spsp.client.SpspClientDefaults;
import org.interledger.stream.Denomination;
import org.interledger.stream.SendMoneyRequest;
import org.interledger.stream.SendMoneyResult;
import org.interledger.stream.sender.FixedSenderAmountPaymentTracker;
import org.interledger.stream.sender.SimpleStreamSender;

/**
 * A real STREAM sender that nobody here wrote: Quilt's SPSP client resolves the payment pointer
 * over HTTP, and Quilt's {@link SimpleStreamSender} pays it through an ILP-over-HTTP link to
 * Inlet's {@code /ilp}, as a connector would forward it.
 */
final class QuiltSender {
  static final InterledgerAddress senderAddress = InterledgerAddress.of("test.sender");

  private QuiltSender() {}

  /** Resolves {@code $localhost:port/name} over plain HTTP (tests have no TLS). */
  static StreamConnectionDetails resolve(String paymentPointer) throws Exception {
    SimpleSpspClient spsp =
        new SimpleSpspClient(
            SpspClientDefaults.OK_HTTP_CLIENT,
            pointer -> HttpUrl.parse("http://" + pointer.host() + pointer.path()),
            SpspClientDefaults.MAPPER);
    return spsp.getStreamConnectionDetails(PaymentPointer.of(paymentPointer));
  }

  /**
   * Sends {@code amount} to the payment pointer and waits for the result. The link behaves like a
   * connector with a maximum packet amount of {@code maxPacketAmount}: larger Prepares are rejected
   * F08 with the RFC 0027 data (received amount, maximum amount), so the sender splits the payment
   * into many packets.
   */
  static SendMoneyResult pay(
      TestInlet inlet, String paymentPointer, long amount, long maxPacketAmount, Duration timeout)
      throws Exception {
    return payTo(
        inlet.ilpUrl(),
        TestInlet.connectorToken,
        resolve(paymentPointer),
        amount,
        maxPacketAmount,
        timeout);
  }

  /**
   * As {@link #pay}, to SPSP details already resolved, through the ILP-over-HTTP endpoint {@code
   * ilpUrl}.
   */
  static SendMoneyResult payTo(
      String ilpUrl,
      String connectorToken,
      StreamConnectionDetails details,
      long amount,
      long maxPacketAmount,
      Duration timeout)
      throws Exception {
    return payTo(List.of(ilpUrl), connectorToken, details, amount, maxPacketAmount, timeout);
  }

  /**
   * As {@link #pay}, sending the packets through the ILP-over-HTTP endpoints {@code ilpUrls} in
   * turn, as a connector balancing across replicas would.
   */
  static SendMoneyResult payTo(
      List<String> ilpUrls,
      String connectorToken,
      StreamConnectionDetails details,
      long amount,
      long maxPacketAmount,
      Duration timeout)
      throws Exception {
    List<IlpOverHttpLink> endpoints =
        ilpUrls.stream()
            .map(
                url ->
                    new IlpOverHttpLink(
                        () -> senderAddress,
                        HttpUrl.parse(url),
                        SpspClientDefaults.OK_HTTP_CLIENT,
                        SpspClientDefaults.MAPPER,
                        InterledgerCodecContextFactory.oer(),
                        () -> connectorToken))
            .toList();
    AtomicInteger turn = new AtomicInteger();
    IlpOverHttpLink link =
        new IlpOverHttpLink(
            () -> senderAddress,
            HttpUrl.parse(ilpUrls.get(0)),
            SpspClientDefaults.OK_HTTP_CLIENT,
            SpspClientDefaults.MAPPER,
            InterledgerCodecContextFactory.oer(),
            () -> connectorToken) {
          @Override
          public InterledgerResponsePacket sendPacket(InterledgerPreparePacket prepare) {
            long sent = prepare.getAmount().longValue();
            if (Long.compareUnsigned(sent, maxPacketAmount) > 0) {
              byte[] data = ByteBuffer.allocate(16).putLong(sent).putLong(maxPacketAmount).array();
              return InterledgerRejectPacket.builder()
                  .code(InterledgerErrorCode.F08_AMOUNT_TOO_LARGE)
                  .triggeredBy(InterledgerAddress.of("test.connector"))
                  .message("Amount too large")
                  .data(data)
                  .build();
            }
            return endpoints
                .get(Math.floorMod(turn.getAndIncrement(), endpoints.size()))
                .sendPacket(prepare);
          }
        };
    SimpleStreamSender sender = new SimpleStreamSender(link);
    SendMoneyRequest request =
        SendMoneyRequest.builder()
            .sourceAddress(senderAddress)
            .destinationAddress(details.destinationAddress())
            .sharedSecret(details.sharedSecret())
            .amount(UnsignedLong.valueOf(amount))
            .denomination(Denomination.builder().assetCode("USD").assetScale((short) 9).build())
            .paymentTracker(new FixedSenderAmountPaymentTracker(UnsignedLong.valueOf(amount)))
            .timeout(timeout)
            .build();
    return sender.sendMoney(request).get(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
  }
}
