package dev.inlet.stream;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamClose;
import dev.inlet.codec.stream.StreamData;
import dev.inlet.codec.stream.StreamErrorCode;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMoney;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.ledger.PacketRecord.DataChunk;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a decrypted STREAM Prepare asks of the receiver, read from its frames (RFC 0029 §4–5): which
 * streams get how much, the data to keep, the sender's address, whether it closes the connection,
 * and the first rule it breaks, if any. Frames the receiver has no use for (blocked notices, the
 * sender's own limits) are ignored.
 *
 * @param streams streams named by {@code StreamMoney} or {@code StreamClose}, ascending id, with
 *     their amounts
 * @param data {@code StreamData} chunks
 * @param sourceAddress from {@code ConnectionNewAddress}, or null
 * @param newAddress whether the packet carried {@code ConnectionNewAddress} (answered with the
 *     asset details)
 * @param closeConnection whether the packet carried {@code ConnectionClose}
 * @param moneyWithoutStream the amount is non-zero but no stream has shares to take it
 * @param violation the STREAM error code of a broken rule, or null
 * @param violationMessage what was broken, or null
 */
record PacketPlan(
    List<StreamCredit> streams,
    List<DataChunk> data,
    String sourceAddress,
    boolean newAddress,
    boolean closeConnection,
    boolean moneyWithoutStream,
    StreamErrorCode violation,
    String violationMessage) {

  /**
   * This plan refused by admission control: an {@code ApplicationError} naming {@code reason},
   * which the receiver declines and answers with {@code ConnectionClose} (the ledger closes the
   * connection).
   */
  PacketPlan refused(AdmissionReason reason) {
    return new PacketPlan(
        streams,
        data,
        sourceAddress,
        newAddress,
        closeConnection,
        moneyWithoutStream,
        StreamErrorCode.APPLICATION_ERROR,
        reason.code());
  }

  /** Reads {@code packet}'s frames for a Prepare of {@code amount} (unsigned 64-bit). */
  static PacketPlan of(StreamPacket packet, long amount) {
    // Most packets of a payment carry one StreamMoney frame and nothing else: no maps needed for
    // those.
    if (packet.frames().size() == 1
        && packet.frames().get(0) instanceof StreamMoney m
        && isClientStream(m.streamId())
        && Long.compareUnsigned(packet.sequence(), ReceiverLimits.maxPacketsPerConnection) <= 0) {
      boolean paid = m.shares() != 0;
      return new PacketPlan(
          List.of(new StreamCredit(m.streamId(), paid ? amount : 0, false)),
          List.of(),
          null,
          false,
          false,
          amount != 0 && !paid,
          null,
          null);
    }
    Builder b = new Builder();
    for (StreamFrame frame : packet.frames()) {
      b.add(frame);
    }
    if (Long.compareUnsigned(packet.sequence(), ReceiverLimits.maxPacketsPerConnection) > 0) {
      b.violate(StreamErrorCode.PROTOCOL_VIOLATION, "more than 2^31 packets on one connection");
    }
    return b.build(amount);
  }

  /**
   * An odd stream id (opened by the sender, RFC 0029 §4.4.1) up to {@code ConnectionMaxStreamId}.
   */
  private static boolean isClientStream(long id) {
    return (id & 1) == 1 && Long.compareUnsigned(id, ReceiverLimits.maxStreamId) <= 0;
  }

  private static final class Builder {
    private final Map<Long, long[]> shares = new TreeMap<>(Long::compareUnsigned);
    private final Map<Long, Boolean> closes = new TreeMap<>(Long::compareUnsigned);
    private final List<DataChunk> data = new ArrayList<>(0);
    private long dataBytes;
    private String sourceAddress;
    private boolean newAddress;
    private boolean closeConnection;
    private StreamErrorCode violation;
    private String violationMessage;

    void add(StreamFrame frame) {
      if (frame instanceof StreamMoney m) {
        addMoney(m);
      } else if (frame instanceof StreamData d) {
        addData(d);
      } else if (frame instanceof StreamClose c) {
        // The payer closing a stream Inlet opened on its connection (a refund's: even ids, RFC 0029
        // §2.2) is no violation: that stream receives nothing here, so there is nothing to close.
        if (!isServerStream(c.streamId()) && checkStreamId(c.streamId())) {
          closes.put(c.streamId(), true);
        }
      } else if (frame instanceof ConnectionNewAddress a) {
        newAddress = true;
        sourceAddress = a.sourceAccount().map(IlpAddress::value).orElse(null);
      } else if (frame instanceof ConnectionClose) {
        closeConnection = true;
      }
    }

    private void addMoney(StreamMoney m) {
      if (checkStreamId(m.streamId())) {
        long[] s = shares.computeIfAbsent(m.streamId(), id -> new long[1]);
        long sum = s[0] + m.shares();
        if (Long.compareUnsigned(sum, s[0]) < 0) {
          violate(
              StreamErrorCode.FRAME_FORMAT_ERROR, "shares of stream " + m.streamId() + " overflow");
        }
        s[0] = sum;
      }
    }

    private void addData(StreamData d) {
      if (!checkStreamId(d.streamId())) {
        return;
      }
      dataBytes += d.data().length;
      boolean beyond =
          Long.compareUnsigned(d.offset(), ReceiverLimits.maxDataBytesPerConnection) > 0
              || d.offset() + d.data().length > ReceiverLimits.maxDataBytesPerConnection
              || dataBytes > ReceiverLimits.maxDataBytesPerConnection;
      if (beyond) {
        violate(
            StreamErrorCode.FLOW_CONTROL_ERROR,
            "StreamData beyond ConnectionMaxData " + ReceiverLimits.maxDataBytesPerConnection);
      } else if (d.data().length > 0) {
        data.add(new DataChunk(d.streamId(), d.offset(), d.data()));
      }
    }

    /** Client streams are odd (RFC 0029 §4.4.1) and at most {@code ConnectionMaxStreamId}. */
    private static boolean isServerStream(long id) {
      return id != 0 && (id & 1) == 0;
    }

    private boolean checkStreamId(long id) {
      if (isClientStream(id)) {
        return true;
      }
      if ((id & 1) == 0) {
        violate(
            StreamErrorCode.PROTOCOL_VIOLATION,
            "stream " + Long.toUnsignedString(id) + " is not a client stream");
      } else {
        violate(
            StreamErrorCode.STREAM_ID_ERROR,
            "stream "
                + Long.toUnsignedString(id)
                + " is above ConnectionMaxStreamId "
                + ReceiverLimits.maxStreamId);
      }
      return false;
    }

    void violate(StreamErrorCode code, String message) {
      if (violation == null) {
        violation = code;
        violationMessage = message;
      }
    }

    PacketPlan build(long amount) {
      TreeMap<Long, Long> amounts = new TreeMap<>(Long::compareUnsigned);
      boolean moneyWithoutStream = false;
      List<Long> paid =
          shares.entrySet().stream()
              .filter(e -> e.getValue()[0] != 0)
              .map(Map.Entry::getKey)
              .toList();
      if (amount != 0 && paid.isEmpty()) {
        moneyWithoutStream = true;
      } else if (!paid.isEmpty()) {
        long[] s = paid.stream().mapToLong(id -> shares.get(id)[0]).toArray();
        long[] parts = MoneySplit.split(amount, s);
        for (int i = 0; i < parts.length; i++) {
          amounts.put(paid.get(i), parts[i]);
        }
      }
      TreeMap<Long, StreamCredit> streams = new TreeMap<>(Long::compareUnsigned);
      for (Long id : shares.keySet()) {
        streams.put(id, new StreamCredit(id, amounts.getOrDefault(id, 0L), closes.containsKey(id)));
      }
      for (Long id : closes.keySet()) {
        streams.putIfAbsent(id, new StreamCredit(id, 0, true));
      }
      return new PacketPlan(
          List.copyOf(streams.values()),
          List.copyOf(data),
          sourceAddress,
          newAddress,
          closeConnection,
          moneyWithoutStream,
          violation,
          violationMessage);
    }
  }
}
