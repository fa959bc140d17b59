package dev.inlet.ledger.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * A packet as {@link ScenarioGenerator} drew it; amounts and sequences are aimed at the state when
 * it is applied ({@link Resolver}).
 */
record Intent(
    int connection,
    Intent.SequenceKind sequence,
    int pick,
    Intent.AmountKind amount,
    long jitter,
    boolean fulfill,
    boolean closeConnection,
    int source,
    List<Intent.StreamIntent> streams,
    List<Intent.DataIntent> data) {

  enum SequenceKind {
    FRESH,
    RETRY_SAME_AMOUNT,
    RETRY_OTHER_AMOUNT,
    ANY_USED,
    LOW
  }

  enum AmountKind {
    ZERO,
    ONE,
    SMALL,
    TWO_TO_63,
    MAX,
    NEAR_MAX,
    ACCOUNT_ROOM,
    PAST_ACCOUNT_ROOM,
    CONNECTION_ROOM,
    LIMIT_ROOM,
    PAST_LIMIT_ROOM,
    STREAM_ROOM,
    INVOICE_LEFT,
    PAST_INVOICE_LEFT
  }

  enum DataKind {
    REPEAT_KEPT,
    NEW,
    REPEAT_IN_PACKET
  }

  enum Size {
    ONE,
    SMALL,
    TO_BOUND,
    PAST_BOUND
  }

  record StreamIntent(long streamId, long weight, boolean close) {}

  record DataIntent(DataKind kind, long streamId, int pick, Size size, byte fill) {}

  Intent on(int otherConnection) {
    return new Intent(
        otherConnection,
        sequence,
        pick,
        amount,
        jitter,
        fulfill,
        closeConnection,
        source,
        streams,
        data);
  }

  /** Each intent one step simpler, for the shrinker: in the order it tries them. */
  List<Intent> simpler() {
    List<Intent> out = new ArrayList<>();
    if (!data.isEmpty()) {
      out.add(with(sequence, closeConnection, source, streams, List.of()));
    }
    if (streams.size() > 1) {
      out.add(with(sequence, closeConnection, source, streams.subList(0, 1), data));
    }
    if (closeConnection) {
      out.add(with(sequence, false, source, streams, data));
    }
    if (source != 0) {
      out.add(with(sequence, closeConnection, 0, streams, data));
    }
    if (sequence != SequenceKind.FRESH) {
      out.add(with(SequenceKind.FRESH, closeConnection, source, streams, data));
    }
    return out;
  }

  /** This intent with the fields the shrinker simplifies replaced. */
  private Intent with(
      SequenceKind sequence,
      boolean closeConnection,
      int source,
      List<StreamIntent> streams,
      List<DataIntent> data) {
    return new Intent(
        connection,
        sequence,
        pick,
        amount,
        jitter,
        fulfill,
        closeConnection,
        source,
        streams,
        data);
  }
}
