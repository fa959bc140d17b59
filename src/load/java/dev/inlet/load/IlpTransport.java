package dev.inlet.load;

import io.netty.util.concurrent.EventExecutor;

/**
 * How the {@link Driver} posts Prepares to {@code /ilp}: on {@code clients} lines, each one
 * keep-alive connection with at most one request in flight.
 */
interface IlpTransport {
  /**
   * Posts Prepare {@code p} of {@code pool} on {@code line}, which has nothing in flight. {@code
   * answer} is called exactly once, on a thread of the transport's; a failure at once is reported
   * from a later task, so that a dead server cannot recurse the caller's stack.
   */
  void send(int line, Pool pool, int p, Answer answer);

  /** One thread that runs open-loop pacing: it may be the one the answers come on. */
  EventExecutor pacer();

  /** The outcome of one request. */
  interface Answer {
    void answered(int status, byte[] body);

    /**
     * No HTTP answer: {@code error} names why (it is counted as a transport error of that kind).
     */
    void failed(String error);
  }
}
