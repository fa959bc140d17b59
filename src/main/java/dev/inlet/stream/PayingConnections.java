package dev.inlet.stream;

import dev.inlet.crypto.ConnectionToken;
import java.util.Optional;

/**
 * Connections on which Inlet pays its peer instead of being paid: a voucher's or a pull-payment
 * mandate's (RFC 0036). The {@link StreamReceiver} answers the peer's packets on them itself (an
 * F99 Reject with a STREAM reply: such a connection never takes money) and tells this what the peer
 * said, so that whoever pays can start once the peer told its address and a stream's receive limit.
 */
public interface PayingConnections {
  /**
   * What the peer told in one packet. Called on the receiving thread: must not block.
   *
   * @return the reason to close the connection in the reply ({@code ConnectionClose} with an
   *     application error, RFC 0029 §5.3.1) — e.g. the peer told no address to pay — or empty
   */
  Optional<String> heard(ConnectionToken token, PeerFrames frames);

  /** Refuses every connection: nothing pays out here. */
  PayingConnections none = (token, frames) -> Optional.of("nothing is paid out here");
}
