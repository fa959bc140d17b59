package dev.inlet.stream;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.ilp.IlpErrorCode;
import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.codec.stream.ConnectionAssetDetails;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.ConnectionMaxData;
import dev.inlet.codec.stream.ConnectionMaxStreamId;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.codec.stream.StreamReceipt;
import dev.inlet.crypto.ReceiptCredentials;
import dev.inlet.ledger.Outcome;
import dev.inlet.ledger.PacketOutcome;
import dev.inlet.ledger.PacketOutcome.StreamTotals;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the receiver's answers: plain ILP Rejects, and the STREAM reply carried in a Fulfill or
 * F99 Reject.
 */
final class Replies {
  private static final byte[] noData = new byte[0];

  private final IlpAddress address;
  private final String assetCode;
  private final int assetScale;

  Replies(IlpAddress address, String assetCode, int assetScale) {
    this.address = address;
    this.assetCode = assetCode;
    this.assetScale = assetScale;
  }

  /**
   * A Reject without a STREAM reply (nothing could be decrypted, or the failure is not the
   * sender's).
   */
  IlpReject reject(IlpErrorCode code, String message) {
    return new IlpReject(code, Optional.of(address), message, noData);
  }

  /**
   * The STREAM reply to a Prepare (RFC 0029 §5.2): same sequence, {@code prepareAmount} = the
   * amount that arrived, and frames: the asset details and the connection's limits when the sender
   * announced its address (or broke a limit), each stream's {@code StreamMaxMoney}, a {@code
   * StreamReceipt} per stream when receipts were asked for and the packet is fulfilled, and {@code
   * ConnectionClose} when the connection is closed (by this packet's violation, by passing {@code
   * ConnectionMaxData}, or before, or because the invoice it pays takes nothing more).
   */
  Reply reply(
      long sequence,
      long amount,
      PacketPlan plan,
      PacketOutcome outcome,
      ReceiptCredentials receipts) {
    List<StreamFrame> frames = new ArrayList<>(4);
    if (plan.newAddress() || plan.violation() != null) {
      frames.add(new ConnectionAssetDetails(assetCode, assetScale));
      frames.add(new ConnectionMaxStreamId(ReceiverLimits.maxStreamId));
      frames.add(new ConnectionMaxData(ReceiverLimits.maxDataBytesPerConnection));
    }
    for (StreamTotals s : outcome.streams()) {
      frames.add(new StreamMaxMoney(s.streamId(), s.receiveMax(), s.received()));
    }
    if (receipts != null && outcome.outcome().fulfils()) {
      for (StreamTotals s : outcome.streams()) {
        if (s.received() != 0) {
          frames.add(new StreamReceipt(s.streamId(), receipts.receipt(s.streamId(), s.received())));
        }
      }
    }
    if (plan.violation() != null) {
      frames.add(new ConnectionClose(plan.violation(), plan.violationMessage()));
    } else if (outcome.outcome() == Outcome.DATA_LIMIT) {
      // Past ConnectionMaxData across the connection's streams: the ledger closed it (RFC 0029
      // §4.5).
      frames.add(
          new ConnectionClose(StreamErrorCode.FLOW_CONTROL_ERROR, describe(Outcome.DATA_LIMIT)));
    } else if (outcome.outcome() == Outcome.CONNECTION_CLOSED) {
      frames.add(new ConnectionClose(StreamErrorCode.NO_ERROR, "Connection closed"));
    } else if (outcome.outcome() == Outcome.INVOICE_CLOSED) {
      // Nothing more will ever be taken on this connection: tell the sender to stop.
      frames.add(new ConnectionClose(StreamErrorCode.NO_ERROR, describe(Outcome.INVOICE_CLOSED)));
    }
    return new Reply(sequence, amount, List.copyOf(frames));
  }

  /**
   * The STREAM reply on a connection Inlet pays on: the amount that arrived, the asset details when
   * the peer announced its address, and {@code ConnectionClose} (application error) when {@code
   * close} names why the connection cannot be paid on.
   */
  Reply payingReply(long sequence, long amount, boolean newAddress, String close) {
    List<StreamFrame> frames = new ArrayList<>(2);
    if (newAddress) {
      frames.add(new ConnectionAssetDetails(assetCode, assetScale));
    }
    if (close != null) {
      frames.add(new ConnectionClose(StreamErrorCode.APPLICATION_ERROR, close));
    }
    return new Reply(sequence, amount, List.copyOf(frames));
  }

  /** Why the ledger declined, for the Reject's message. */
  static String describe(Outcome outcome) {
    return switch (outcome) {
      case SEQUENCE_REUSED -> "Sequence already used with another amount";
      case CONNECTION_CLOSED -> "Connection closed";
      case STREAM_CLOSED -> "Money for a closed stream";
      case LIMIT_EXCEEDED ->
          AdmissionReason.RECEIVER_QUOTA.code() + ": the account's receive limit would be passed";
      case CONNECTION_LIMIT ->
          AdmissionReason.MAX_AMOUNT.code() + ": the connection's most in all would be passed";
      case INVOICE_CLOSED -> "Invoice is completed, expired or cancelled";
      case INVOICE_EXCEEDED -> "Amount would pass the invoice's amount";
      case OVERFLOW -> "Amount would overflow a total";
      case DATA_LIMIT -> "StreamData beyond ConnectionMaxData";
      default -> "Rejected";
    };
  }

  /** A STREAM reply, encoded for the ILP packet type that carries it. */
  record Reply(long sequence, long amount, List<StreamFrame> frames) {
    byte[] stream(IlpPacketType carrier) {
      return StreamCodec.encode(
          new StreamPacket(StreamPacket.supportedVersion, carrier, sequence, amount, frames));
    }
  }
}
