package dev.inlet.uplink;

import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.stream.sender.LinkException;
import java.util.concurrent.CompletableFuture;

/** The uplink when {@code INLET_UPLINK_URL} is not set: always DOWN, every send refused. */
final class NoUplink implements Uplink {
  @Override
  public CompletableFuture<IlpPacket> send(IlpPrepare prepare) {
    return CompletableFuture.failedFuture(
        new LinkException("no uplink: INLET_UPLINK_URL is not set", false, null));
  }

  @Override
  public State state() {
    return State.DOWN;
  }

  @Override
  public void close() {}
}
