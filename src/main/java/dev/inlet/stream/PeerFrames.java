package dev.inlet.stream;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.codec.stream.ConnectionClose;
import dev.inlet.codec.stream.ConnectionNewAddress;
import dev.inlet.codec.stream.StreamClose;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamMaxMoney;
import dev.inlet.codec.stream.StreamPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the peer of a connection Inlet pays on told in one packet (RFC 0029 §5.3): its address, its
 * streams' receive limits, the streams and the connection it closed.
 *
 * @param address from {@code ConnectionNewAddress}: empty when the frame was absent; an empty
 *     string when the peer said it cannot receive
 * @param limits {@code StreamMaxMoney} frames: each stream's receive max and total received, in the
 *     peer's units (unsigned 64-bit)
 * @param closedStreams ids of the streams the peer closed ({@code StreamClose})
 * @param connectionClosed whether the peer sent {@code ConnectionClose}
 */
public record PeerFrames(
    Optional<String> address,
    List<StreamMaxMoney> limits,
    List<Long> closedStreams,
    boolean connectionClosed) {

  /** Reads the frames of a decrypted STREAM packet. */
  static PeerFrames of(StreamPacket packet) {
    Optional<String> address = Optional.empty();
    List<StreamMaxMoney> limits = new ArrayList<>(1);
    List<Long> closed = new ArrayList<>(0);
    boolean connectionClosed = false;
    for (StreamFrame frame : packet.frames()) {
      if (frame instanceof ConnectionNewAddress a) {
        address = Optional.of(a.sourceAccount().map(IlpAddress::value).orElse(""));
      } else if (frame instanceof StreamMaxMoney m) {
        limits.add(m);
      } else if (frame instanceof StreamClose c) {
        closed.add(c.streamId());
      } else if (frame instanceof ConnectionClose) {
        connectionClosed = true;
      }
    }
    return new PeerFrames(address, List.copyOf(limits), List.copyOf(closed), connectionClosed);
  }
}
