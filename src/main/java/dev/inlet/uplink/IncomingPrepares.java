package dev.inlet.uplink;

import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Takes the Prepares a parent sends over the uplink: {@code StreamReceiver::receive}, as the
 * ILP-over-HTTP listener feeds it.
 */
@FunctionalInterface
public interface IncomingPrepares {
  /**
   * @param replyOn where the answer is completed
   * @return the Fulfill or Reject to send back
   */
  CompletableFuture<IlpPacket> receive(IlpPrepare prepare, Executor replyOn);
}
