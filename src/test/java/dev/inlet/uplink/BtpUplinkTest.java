package dev.inlet.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.btp.BtpError;
import dev.inlet.codec.btp.BtpMessage;
import dev.inlet.codec.btp.BtpPacket;
import dev.inlet.codec.btp.BtpResponse;
import dev.inlet.codec.btp.BtpTransfer;
import dev.inlet.codec.btp.ProtocolData;
import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.stream.sender.LinkException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link BtpUplink} against a fake BTP parent: auth, request ids, answers, failures, incoming. */
class BtpUplinkTest {
  private static final IlpFulfill fulfill = new IlpFulfill(new byte[32], new byte[] {7});

  @Test
  void authenticatesFirstThenSendsEachPrepareInAnIlpEntry() throws Exception {
    try (FakeBtpParent parent = new FakeBtpParent(answering(p -> List.of(ilp(p, fulfill))));
        BtpUplink uplink = start(parent, 16)) {
      IlpPacket answer = uplink.send(prepare(Duration.ofSeconds(30))).get(5, TimeUnit.SECONDS);

      assertThat(answer).isEqualTo(fulfill);
      BtpPacket auth = parent.received.take();
      assertThat(auth).isInstanceOf(BtpMessage.class);
      assertThat(auth.protocolData())
          .extracting(ProtocolData::protocolName)
          .containsExactly("auth", "auth_username", "auth_token");
      assertThat(text(auth, "auth_username")).isEqualTo("inlet");
      assertThat(text(auth, "auth_token")).isEqualTo("secret");
      BtpPacket request = parent.received.take();
      assertThat(request.requestId()).isNotEqualTo(auth.requestId());
      assertThat(IlpCodec.decode(request.protocolData().get(0).data()))
          .isInstanceOf(IlpPrepare.class);
    }
  }

  @Test
  void aBtpErrorAnswerIsARefusalNotInDoubt() throws Exception {
    try (FakeBtpParent parent =
            new FakeBtpParent(
                answering(
                    p ->
                        List.of(
                            new BtpError(
                                p.requestId(),
                                "F00",
                                "NotAcceptedError",
                                Instant.now(),
                                new byte[0],
                                List.of()))));
        BtpUplink uplink = start(parent, 16)) {
      LinkException e = failure(uplink.send(prepare(Duration.ofSeconds(30))));
      assertThat(e.maybeDelivered()).isFalse();
      assertThat(e).hasMessageContaining("F00 NotAcceptedError");
    }
  }

  @Test
  void noAnswerIsInDoubtOnceTheExpiryAndMarginHavePassed() throws Exception {
    try (FakeBtpParent parent = new FakeBtpParent(answering(p -> List.of()));
        BtpUplink uplink = start(parent, 16)) {
      long started = System.nanoTime();
      LinkException e = failure(uplink.send(prepare(Duration.ofMillis(800))));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertThat(e.maybeDelivered()).isTrue();
      assertThat(tookMillis).isBetween(700L, 3000L);
    }
  }

  @Test
  void anAnswerWithoutAFulfillOrRejectIsInDoubt() throws Exception {
    try (FakeBtpParent parent =
            new FakeBtpParent(answering(p -> List.of(new BtpResponse(p.requestId(), List.of()))));
        BtpUplink uplink = start(parent, 16)) {
      assertThat(failure(uplink.send(prepare(Duration.ofSeconds(30)))).maybeDelivered()).isTrue();
    }
  }

  @Test
  void sendsBeyondTheInFlightBoundAreRefusedUnsent() throws Exception {
    try (FakeBtpParent parent = new FakeBtpParent(answering(p -> List.of()));
        BtpUplink uplink = start(parent, 2)) {
      uplink.send(prepare(Duration.ofSeconds(30)));
      uplink.send(prepare(Duration.ofSeconds(30)));
      LinkException e = failure(uplink.send(prepare(Duration.ofSeconds(30))));
      assertThat(e.maybeDelivered()).isFalse();
      assertThat(e).hasMessageContaining("2 Prepares already in flight");
    }
  }

  @Test
  void aRefusedAuthenticationKeepsItDownAndRetries() throws Exception {
    Function<BtpPacket, List<BtpPacket>> refuse =
        p ->
            List.of(
                new BtpError(
                    p.requestId(),
                    "F00",
                    "NotAcceptedError",
                    Instant.now(),
                    "invalid auth_token".getBytes(StandardCharsets.UTF_8),
                    List.of()));
    try (FakeBtpParent parent = new FakeBtpParent(refuse);
        BtpUplink uplink =
            new BtpUplink(UplinkUrl.parse(parent.url()), settings(16), Clock.systemUTC())) {
      uplink.start();
      assertThat(parent.received.poll(5, TimeUnit.SECONDS)).isNotNull();
      assertThat(parent.received.poll(5, TimeUnit.SECONDS)).as("a second attempt").isNotNull();
      assertThat(uplink.state()).isNotEqualTo(Uplink.State.UP);
      assertThat(failure(uplink.send(prepare(Duration.ofSeconds(30)))).maybeDelivered()).isFalse();
    }
  }

  @Test
  void theParentsPrepareGoesToTheReceiverAndItsAnswerComesBackInAResponse() throws Exception {
    IlpReject reject =
        new IlpReject(IlpErrorCode.F99_APPLICATION_ERROR, Optional.empty(), "", new byte[] {1});
    try (FakeBtpParent parent = new FakeBtpParent(answering(p -> List.of()));
        BtpUplink uplink = start(parent, 16)) {
      uplink.serve((prepare, replyOn) -> CompletableFuture.completedFuture(reject));
      parent.received.take(); // auth
      parent.push(
          new BtpMessage(
              77, List.of(ProtocolData.ilp(IlpCodec.encode(prepare(Duration.ofSeconds(30)))))));
      parent.push(new BtpTransfer(78, 5, List.of()));

      BtpPacket answer = parent.received.poll(5, TimeUnit.SECONDS);
      assertThat(answer).isInstanceOf(BtpResponse.class);
      assertThat(answer.requestId()).isEqualTo(77);
      assertThat(
              IlpCodec.decode(ProtocolData.find(answer.protocolData(), "ilp").orElseThrow().data()))
          .isEqualTo(reject);
      BtpPacket transferAnswer = parent.received.poll(5, TimeUnit.SECONDS);
      assertThat(transferAnswer).isEqualTo(new BtpResponse(78, List.of()));
    }
  }

  /** Accepts the auth message, and answers every later request with {@code rest}. */
  private static Function<BtpPacket, List<BtpPacket>> answering(
      Function<BtpPacket, List<BtpPacket>> rest) {
    return p ->
        ProtocolData.find(p.protocolData(), "auth").isPresent()
            ? List.of(new BtpResponse(p.requestId(), List.of()))
            : p instanceof BtpResponse ? List.of() : rest.apply(p);
  }

  private static BtpPacket ilp(BtpPacket request, IlpPacket answer) {
    return new BtpResponse(request.requestId(), List.of(ProtocolData.ilp(IlpCodec.encode(answer))));
  }

  private static BtpUplink start(FakeBtpParent parent, int maxInFlight)
      throws InterruptedException {
    BtpUplink uplink =
        new BtpUplink(UplinkUrl.parse(parent.url()), settings(maxInFlight), Clock.systemUTC());
    uplink.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (uplink.state() != Uplink.State.UP && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(uplink.state()).isEqualTo(Uplink.State.UP);
    return uplink;
  }

  private static UplinkSettings settings(int maxInFlight) {
    return new UplinkSettings(
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(2),
        Duration.ofMillis(200),
        maxInFlight,
        Duration.ofSeconds(20),
        Duration.ofMillis(100),
        Duration.ofMillis(400),
        Duration.ofSeconds(5));
  }

  private static IlpPrepare prepare(Duration expiry) {
    return new IlpPrepare(
        10, Instant.now().plus(expiry), new byte[32], IlpAddress.of("test.parent.x"), new byte[0]);
  }

  private static String text(BtpPacket packet, String name) {
    return new String(
        ProtocolData.find(packet.protocolData(), name).orElseThrow().data(),
        StandardCharsets.UTF_8);
  }

  private static LinkException failure(CompletableFuture<IlpPacket> send) {
    ExecutionException e =
        (ExecutionException)
            org.assertj.core.api.Assertions.catchThrowable(() -> send.get(5, TimeUnit.SECONDS));
    assertThat(e).isNotNull();
    assertThat(e.getCause()).isInstanceOf(LinkException.class);
    return (LinkException) e.getCause();
  }
}
