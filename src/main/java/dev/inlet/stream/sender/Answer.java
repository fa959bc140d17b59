package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.StreamKeys;

/**
 * What became of one money Prepare, as the {@link SendLog} records it.
 *
 * @param kind the outcome
 * @param delivered when fulfilled: destination units that arrived (the reply's {@code
 *     prepareAmount}, or the Prepare's minimum when the reply is unreadable)
 * @param reply the receiver's STREAM reply, or null
 * @param reject the Reject, when rejected
 * @param detail why, for the send's error
 */
record Answer(Kind kind, long delivered, StreamPacket reply, IlpReject reject, String detail) {

  enum Kind {
    FULFILLED,
    REJECTED,
    /** The link says the Prepare never left: rejected, and may be retried. */
    UNSENT,
    /** The link was full and did not send it: rejected, retried after a pause, no fault of it. */
    BUSY,
    /** The outcome is unknown: the money may have left. */
    IN_DOUBT
  }

  static Answer inDoubt(String detail) {
    return new Answer(Kind.IN_DOUBT, 0, null, null, detail);
  }

  /** Classifies the link's answer to {@code flight}. */
  static Answer of(Flight flight, IlpPacket packet, Throwable error, StreamKeys keys) {
    if (error != null) {
      LinkException e = Links.linkException(error);
      if (e.maybeDelivered()) {
        return inDoubt(e.getMessage());
      }
      return new Answer(e.busy() ? Kind.BUSY : Kind.UNSENT, 0, null, null, e.getMessage());
    }
    if (packet instanceof IlpFulfill fulfill) {
      if (!Links.fulfills(fulfill, flight.prepare())) {
        // The connector claims it was paid with a preimage that is not: nothing to trust.
        return inDoubt("a Fulfill whose fulfillment does not match the condition");
      }
      StreamPacket reply =
          ReplyReader.read(keys, fulfill.data(), IlpPacketType.FULFILL, flight.sequence());
      long delivered = reply != null ? reply.prepareAmount() : flight.minDelivered();
      return new Answer(Kind.FULFILLED, delivered, reply, null, "fulfilled");
    }
    if (packet instanceof IlpReject reject) {
      StreamPacket reply =
          ReplyReader.read(keys, reject.data(), IlpPacketType.REJECT, flight.sequence());
      return new Answer(Kind.REJECTED, 0, reply, reject, Links.rejected(reject));
    }
    return inDoubt("the link answered with a Prepare");
  }
}
