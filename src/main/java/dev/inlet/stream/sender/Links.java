package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpFulfill;
import dev.inlet.codec.ilp.IlpPacket;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.ilp.IlpReject;
import dev.inlet.crypto.Conditions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Calls into the link and the log that never throw, and how their failures read. */
final class Links {
  private Links() {}

  /** The link's answer; a link that throws gives an answer of unknown outcome. */
  static CompletableFuture<IlpPacket> send(PacketLink link, IlpPrepare prepare) {
    try {
      CompletableFuture<IlpPacket> answer = link.send(prepare);
      return answer != null
          ? answer
          : CompletableFuture.failedFuture(
              new LinkException("the link gave no answer", true, null));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new LinkException(e.toString(), true, e));
    }
  }

  /** The log's future; a log that throws or gives none fails the record. */
  static CompletableFuture<Void> record(Supplier<CompletableFuture<Void>> call) {
    try {
      CompletableFuture<Void> done = call.get();
      return done != null
          ? done
          : CompletableFuture.failedFuture(new IllegalStateException("the log gave no future"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The link's failure as a {@link LinkException}; any other failure's outcome is unknown. */
  static LinkException linkException(Throwable error) {
    Throwable e = unwrap(error);
    return e instanceof LinkException l ? l : new LinkException(e.toString(), true, e);
  }

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  static boolean fulfills(IlpFulfill fulfill, IlpPrepare prepare) {
    return Conditions.fulfills(fulfill.fulfillment(), prepare.executionCondition());
  }

  /** {@code "rejected: F02 message"}. */
  static String rejected(IlpReject reject) {
    return "rejected: " + describe(reject);
  }

  static String describe(IlpReject reject) {
    return reject.code().code() + " " + reject.message();
  }

  /** Whether the code is temporary (RFC 0027: T-family errors may succeed if retried). */
  static boolean temporary(IlpReject reject) {
    return reject.code().code().charAt(0) == 'T';
  }
}
