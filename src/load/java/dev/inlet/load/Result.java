package dev.inlet.load;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** One mode's figures. */
final class Result {
  final String label;
  final Stats warmup = new Stats();
  final Stats measured = new Stats();
  Stats half;
  double halfRate;
  long heapStart;
  long heapMiddle;
  long heapEnd;

  /** Inlet's side of the measured phase, and of the half-load phase. */
  final PhaseFigures figures = new PhaseFigures();

  final PhaseFigures halfFigures = new PhaseFigures();
  int poolUnits;
  int usedUnits;
  int churnUnits;
  JfrSummary jfr;
  BigInteger expectedCredit = BigInteger.ZERO;
  BigInteger ledgerCredited = BigInteger.ZERO;
  BigInteger balance = BigInteger.ZERO;
  final List<String> failures = new ArrayList<>();

  /**
   * Events written during the measured phase, by type (an account without merchant has them too).
   */
  final Map<String, Long> events = new TreeMap<>();

  /** The invoice mode's figures; null in an account run. */
  InvoiceFigures invoice;

  /** The sending run's figures; null in a receiving run. */
  SendingFigures sending;

  /** The sending run: what funding the account over {@code /ilp} fulfilled. */
  BigInteger funded = BigInteger.ZERO;

  /** What the sending run measures besides the receiver's counts ({@link SendingRun}). */
  static final class SendingFigures {
    int payouts;
    int inFlight;
    long packetAmount;

    /** {@code inlet_packets_sent_total{result="fulfilled"}} over the measured phase. */
    double sentFulfilled;

    /** The other results of {@code inlet_packets_sent_total} over the measured phase. */
    String otherResults = "-";

    /** Commits of Inlet's database over the measured phase ({@code pg_stat_database}). */
    long databaseCommits;

    /** The payouts' end states (with the error's slug) and their sums. */
    String states = "-";

    BigInteger sent = BigInteger.ZERO;
    BigInteger received = BigInteger.ZERO;
  }

  /** What the invoice mode measures besides packets: its webhook, its live stream, its invoices. */
  static final class InvoiceFigures {
    String webhookEvents;

    /** Wall time from the measured phase's start to its end, the middle heap sample included. */
    double measuredWallSeconds;

    long webhookMeasured;
    long sseMeasured;

    /** Delivery lag in the measured phase (arrival − the event's created_at), milliseconds. */
    Histogram lag = new Histogram(3);

    /** Subscribed events written but not yet delivered when the measured phase ended. */
    long behindAtMeasuredEnd;

    long subscribedEvents;
    long backlogAtStop;
    long deliveredTotal;

    /** After the last load: seconds until the last delivery arrived, NaN if not all arrived. */
    double drainSeconds = Double.NaN;

    double drainWaitSeconds;
    long eventsTotal;
    long sseTotal;
    long sseReconnects;
    long verifiedSignatures;

    /** The {@code invoices} table after the run: updates, heap-only updates, sizes. */
    String invoiceTable = "-";

    BigInteger invoicesReceived = BigInteger.ZERO;
    int invoices;
    Map<String, Integer> states = Map.of();
  }

  Result(String label) {
    this.label = label;
  }

  List<Stats> phases() {
    return half == null ? List.of(warmup, measured) : List.of(warmup, measured, half);
  }

  boolean passed() {
    return failures.isEmpty();
  }

  Histogram latency() {
    return measured.histogram();
  }
}
