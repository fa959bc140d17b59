package dev.inlet.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.StreamKeys;
import dev.inlet.crypto.TargetKind;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A ledger whose queue is full ({@link Outcome#BUSY}, as {@code PostgresLedger} answers: see {@code
 * CachedLedgerTest}) is a {@code system-limit}: the sender gets T03 naming it, admission counts it.
 */
class LedgerBusyTest {
  @Test
  void aFullLedgerQueueIsAnsweredT03SystemLimitAndCounted() {
    byte[] serverSecret = new byte[32];
    new SecureRandom().nextBytes(serverSecret);
    ConnectionTokens tokens = new ConnectionTokens(serverSecret);
    String token = tokens.issue(TargetKind.ACCOUNT, 7, null, null);
    IlpAddress address = IlpAddress.of("test.inlet");
    List<byte[]> told = new ArrayList<>();
    PacketAdmission admission =
        new PacketAdmission() {
          @Override
          public AdmissionReason admit(
              long accountId,
              long invoiceId,
              byte[] connectionId,
              long sequence,
              String sourceAddress,
              long amount) {
            return null;
          }

          @Override
          public void ledgerBusy(byte[] connectionId) {
            told.add(connectionId);
          }
        };
    StreamReceiver receiver =
        new StreamReceiver(
            address,
            "USD",
            2,
            tokens,
            packet -> CompletableFuture.completedFuture(PacketOutcome.of(Outcome.BUSY)),
            Clock.systemUTC(),
            admission);

    StreamKeys keys =
        StreamKeys.derive(tokens.sharedSecret(ConnectionTokens.connectionIdOf(token)));
    byte[] data =
        keys.encrypt(
            StreamCodec.encode(
                new StreamPacket(
                    StreamPacket.supportedVersion,
                    IlpPacketType.PREPARE,
                    1,
                    10,
                    List.of(new StreamMoney(1, 1)))));
    IlpPrepare prepare =
        new IlpPrepare(
            10,
            Instant.now().plusSeconds(30),
            Conditions.condition(keys.fulfillment(data)),
            address.with("alice").with(token),
            data);

    IlpPacket answer = receiver.receive(prepare, Runnable::run).join();

    assertThat(answer).isInstanceOf(IlpReject.class);
    IlpReject reject = (IlpReject) answer;
    assertThat(reject.code()).isEqualTo(IlpErrorCode.T03_CONNECTOR_BUSY);
    assertThat(reject.message()).startsWith("system-limit");
    assertThat(told).hasSize(1);
    assertThat(told.get(0)).isEqualTo(ConnectionTokens.connectionIdOf(token));
  }
}
