package dev.inlet.it;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A PostgreSQL login (frontend/backend protocol 3.0) by a client that does not know the password,
 * over TCP or a Unix socket: the JDBC driver speaks only TCP. It answers a SCRAM-SHA-256 challenge
 * with a made-up proof.
 */
final class PostgresLogin {
  /**
   * The last message: an authentication request ({@code ok}: let in without a password), or an
   * error's SQLSTATE ({@code 28P01}: password authentication failed) with {@code -1}.
   */
  record Outcome(int authenticationRequest, String sqlState) {
    static final int ok = 0;
    static final int sasl = 10;
    static final int saslContinue = 11;
  }

  private PostgresLogin() {}

  /** Logs in as {@code postgres} to database {@code postgres} without knowing the password. */
  static Outcome withoutPassword(SocketAddress address) throws IOException {
    try (SocketChannel channel = SocketChannel.open(address)) {
      ByteBuffer startup = ByteBuffer.allocate(128);
      startup.putInt(0).putInt(196_608); // protocol 3.0
      for (String s : new String[] {"user", "postgres", "database", "postgres", ""}) {
        startup.put(s.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
      }
      send(channel, startup);
      ByteBuffer reply = receive(channel);
      if (reply.get(0) != 'R' || reply.getInt(5) != Outcome.sasl) {
        return outcome(reply);
      }
      String clientNonce = "inletTestNonce";
      byte[] first = ("n,,n=,r=" + clientNonce).getBytes(StandardCharsets.UTF_8);
      ByteBuffer initial = ByteBuffer.allocate(128).put((byte) 'p').putInt(0);
      initial.put("SCRAM-SHA-256".getBytes(StandardCharsets.UTF_8)).put((byte) 0);
      initial.putInt(first.length).put(first);
      sendTyped(channel, initial);
      reply = receive(channel);
      if (reply.get(0) != 'R' || reply.getInt(5) != Outcome.saslContinue) {
        return outcome(reply);
      }
      String serverFirst =
          new String(reply.array(), 9, reply.limit() - 9, StandardCharsets.UTF_8).split(",")[0];
      String proof = Base64.getEncoder().encodeToString(new byte[32]);
      byte[] finalMessage =
          ("c=biws," + serverFirst + ",p=" + proof).getBytes(StandardCharsets.UTF_8);
      ByteBuffer response = ByteBuffer.allocate(256).put((byte) 'p').putInt(0).put(finalMessage);
      sendTyped(channel, response);
      return outcome(receive(channel));
    }
  }

  private static Outcome outcome(ByteBuffer message) {
    if (message.get(0) == 'R') {
      return new Outcome(message.getInt(5), null);
    }
    // ErrorResponse: fields of a type byte and a zero-terminated string; 'C' is the SQLSTATE.
    int i = 5;
    while (i < message.limit() && message.get(i) != 0) {
      byte type = message.get(i++);
      int end = i;
      while (message.get(end) != 0) {
        end++;
      }
      String value = new String(message.array(), i, end - i, StandardCharsets.UTF_8);
      if (type == 'C') {
        return new Outcome(-1, value);
      }
      i = end + 1;
    }
    return new Outcome(-1, "?" + (char) message.get(0));
  }

  private static void send(SocketChannel channel, ByteBuffer untyped) throws IOException {
    untyped.putInt(0, untyped.position()).flip();
    while (untyped.hasRemaining()) {
      channel.write(untyped);
    }
  }

  private static void sendTyped(SocketChannel channel, ByteBuffer typed) throws IOException {
    typed.putInt(1, typed.position() - 1).flip();
    while (typed.hasRemaining()) {
      channel.write(typed);
    }
  }

  /** One backend message: type byte, length, body. */
  private static ByteBuffer receive(SocketChannel channel) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(5);
    readFully(channel, head);
    int length = head.getInt(1);
    ByteBuffer message = ByteBuffer.allocate(1 + length).put(head.array());
    readFully(channel, message);
    return message.flip();
  }

  private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("The server closed the connection");
      }
    }
  }
}
