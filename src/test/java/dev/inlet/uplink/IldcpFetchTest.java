package dev.inlet.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.codec.ilp.Ildcp;
import dev.inlet.codec.ilp.IldcpResponse;
import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.stream.sender.LinkException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Startup's ILDCP: retried until the parent answers, bounded by the timeout, failing clearly. */
class IldcpFetchTest {
  @Test
  void retriesThroughRefusalsUntilTheParentAnswers() throws Exception {
    IldcpResponse parent = new IldcpResponse(IlpAddress.of("g.parent.inlet"), 6, "EUR");
    List<IlpPrepare> asked = new ArrayList<>();
    Uplink uplink =
        link(
            prepare -> {
              asked.add(prepare);
              if (asked.size() == 1) {
                return CompletableFuture.failedFuture(new LinkException("lost", true, null));
              }
              if (asked.size() == 2) {
                return CompletableFuture.completedFuture(
                    new IlpReject(
                        IlpErrorCode.T01_PEER_UNREACHABLE, Optional.empty(), "", new byte[0]));
              }
              return CompletableFuture.completedFuture(Ildcp.fulfill(parent));
            });
    IldcpResponse got = IldcpFetch.fetch(uplink, Duration.ofSeconds(10), Clock.systemUTC(), "here");
    assertThat(got).isEqualTo(parent);
    assertThat(asked).hasSize(3);
    assertThat(asked.get(0).destination().value()).isEqualTo("peer.config");
    assertThat(asked.get(0).amount()).isZero();
  }

  @Test
  void failsNamingTheTimeoutAndTheLastProblem() {
    Uplink rejecting =
        link(
            prepare ->
                CompletableFuture.completedFuture(
                    new IlpReject(
                        IlpErrorCode.F02_UNREACHABLE, Optional.empty(), "no", new byte[0])));
    assertThatThrownBy(
            () ->
                IldcpFetch.fetch(
                    rejecting, Duration.ofMillis(400), Clock.systemUTC(), "btp+ws://x/"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("btp+ws://x/")
        .hasMessageContaining("INLET_UPLINK_ILDCP_TIMEOUT")
        .hasMessageContaining("rejected ILDCP with F02");
    assertThatThrownBy(
            () -> IldcpFetch.fetch(new NoUplink(), Duration.ofMillis(300), Clock.systemUTC(), "y"))
        .hasMessageContaining("the uplink is DOWN");
  }

  private static Uplink link(
      java.util.function.Function<IlpPrepare, CompletableFuture<IlpPacket>> f) {
    return new Uplink() {
      @Override
      public CompletableFuture<IlpPacket> send(IlpPrepare prepare) {
        return f.apply(prepare);
      }

      @Override
      public State state() {
        return State.UP;
      }

      @Override
      public void close() {}
    };
  }
}
