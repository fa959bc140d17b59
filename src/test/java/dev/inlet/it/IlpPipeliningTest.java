package dev.inlet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.stream.StreamMoney;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * HTTP/1.1 pipelining on the ILP-over-HTTP listener: responses come back in request order, whatever
 * answers them (the receiver, or a refusal) and however long the ledger takes; the connection's
 * framing survives refusals, 100 Continue and a final {@code Connection: close}; and a client may
 * pipeline far more Prepares than the server holds at once (it stops reading instead), each
 * answered and credited once.
 */
class IlpPipeliningTest extends InletPerClass {
  private static final String auth = "Authorization: Bearer " + TestInlet.connectorToken;

  @BeforeAll
  static void createAccount() {
    inlet.createAccount("pia", null);
    inlet.createAccount("pippa", null);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    TestSender sender = TestSender.open(inlet, "pia");
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    requests.writeBytes(ilp(sender, 100, 1, null));
    requests.writeBytes(get("/pia"));
    requests.writeBytes(
        RawHttp.request(
            "POST", "/ilp", inlet.ilpPort, "Authorization: Bearer wrong", new byte[40]));
    requests.writeBytes(ilp(sender, 200, 2, null));
    requests.writeBytes(get("/ilp"));
    requests.writeBytes(
        RawHttp.request("POST", "/ilp", inlet.ilpPort, auth, "not a prepare".getBytes()));
    requests.writeBytes(ilp(sender, 300, 3, null));
    requests.writeBytes(
        RawHttp.request("HEAD", "/ilp", inlet.ilpPort, null).getBytes(StandardCharsets.US_ASCII));
    requests.writeBytes(ilp(sender, 400, 4, "Connection: close"));
    requests.writeBytes(ilp(sender, 500, 5, null)); // after Connection: close: never answered
    try (Socket socket = new Socket("localhost", inlet.ilpPort)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(requests.toByteArray());
      InputStream in = socket.getInputStream();
      assertFulfilled(sender, RawHttp.read(in), 1);
      assertThat(text(RawHttp.read(in))).contains("urn:inlet:problem:not-found");
      RawHttp.Response refused = RawHttp.read(in);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
      assertFulfilled(sender, RawHttp.read(in), 2);
      RawHttp.Response wrongMethod = RawHttp.read(in);
      assertThat(text(wrongMethod)).contains("urn:inlet:problem:method-not-allowed");
      assertThat(wrongMethod.header("Allow")).isEqualTo("POST");
      assertThat(text(RawHttp.read(in))).contains("urn:inlet:problem:invalid-ilp-prepare");
      assertFulfilled(sender, RawHttp.read(in), 3);
      // A HEAD's answer has no body, whatever its Content-Length says: read the head only.
      RawHttp.Response head = RawHttp.readHead(in);
      assertThat(head.status()).isEqualTo(405);
      RawHttp.Response last = RawHttp.read(in);
      assertFulfilled(sender, last, 4);
      assertThat(last.header("Connection")).isEqualTo("close");
      assertThat(in.read()).as("closed after Connection: close").isEqualTo(-1);
    }
    assertThat(inlet.balance("pia")).isEqualTo(1_000);
  }

  @Test
  void threeHundredPipelinedPreparesAreAllAnsweredInOrderAndCreditedOnce() throws Exception {
    int prepares =
        300; // more than Netty's HttpServerCodec lets wait (maxPipelineDepth 128), which closes
    TestSender sender = TestSender.open(inlet, "pippa");
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    long total = 0;
    for (int i = 1; i <= prepares; i++) {
      requests.writeBytes(ilp(sender, i, i, null));
      total += i;
    }
    try (Socket socket = new Socket("localhost", inlet.ilpPort)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // All at once, from another thread: the server stops reading while it holds too many, and the
      // socket's
      // buffers fill up until it reads again.
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(requests.toByteArray());
                  out.flush();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      writer.start();
      for (int i = 1; i <= prepares; i++) {
        assertFulfilled(sender, RawHttp.read(in), i);
      }
      writer.join(10_000);
    }
    assertThat(inlet.balance("pippa")).isEqualTo(total);
    JsonNode connection =
        TestInlet.json
            .readTree(inlet.adminGet("/admin/accounts/pippa/connections").body())
            .get("connections")
            .get(0);
    assertThat(connection.get("packets_fulfilled").asLong()).isEqualTo(prepares);
    assertThat(inlet.adminGet("/admin/ledger/check").statusCode()).isEqualTo(200);
  }

  @Test
  void expectContinueGetsA100ThenTheAnswer() throws Exception {
    TestSender sender = TestSender.open(inlet, "pia");
    byte[] body = IlpCodec.encode(sender.prepare(5, 1, 0, new StreamMoney(1, 1)));
    try (Socket socket = new Socket("localhost", inlet.ilpPort)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(
          RawHttp.request(
                  "POST",
                  "/ilp",
                  inlet.ilpPort,
                  auth + "; Expect: 100-continue; Content-Length: " + body.length)
              .getBytes(StandardCharsets.US_ASCII));
      assertThat(RawHttp.read(in).status()).isEqualTo(100);
      out.write(body);
      assertFulfilled(sender, RawHttp.read(in), 1);
      // Too large for a Prepare: refused before the body is sent, and the connection closed.
      out.write(
          RawHttp.request(
                  "POST",
                  "/ilp",
                  inlet.ilpPort,
                  auth + "; Expect: 100-continue; Content-Length: 40000")
              .getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response tooLarge = RawHttp.read(in);
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.header("Connection")).isEqualTo("close");
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aRefusedBodyIsReadAndDroppedAndTheConnectionGoesOn() throws Exception {
    TestSender sender = TestSender.open(inlet, "pia");
    try (Socket socket = new Socket("localhost", inlet.ilpPort)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // A body that looks like requests must not be taken for them.
      out.write(
          RawHttp.request(
              "POST", "/ilp", inlet.ilpPort, "Authorization: Bearer wrong", get("/a/b/c")));
      out.write(ilp(sender, 7, 1, null));
      assertThat(RawHttp.read(in).status()).isEqualTo(401);
      assertFulfilled(sender, RawHttp.read(in), 1);
    }
  }

  /**
   * Framing that two parsers could read two ways (request smuggling, RFC 9112 §6.3): refused, then
   * closed.
   */
  @Test
  void aRequestWithBothChunkedAndContentLengthIsRefusedAndTheConnectionCloses() throws Exception {
    TestSender sender = TestSender.open(inlet, "pia");
    byte[] body = IlpCodec.encode(sender.prepare(9, 1, 0, new StreamMoney(1, 1)));
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(
        RawHttp.request(
                "POST",
                "/ilp",
                inlet.ilpPort,
                auth + "; Transfer-Encoding: chunked; Content-Length: 5")
            .getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(
        (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(body);
    request.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    try (Socket socket = new Socket("localhost", inlet.ilpPort)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.toByteArray());
      InputStream in = socket.getInputStream();
      RawHttp.Response answer = RawHttp.read(in);
      assertThat(answer.status()).isEqualTo(400);
      assertThat(text(answer)).contains("urn:inlet:problem:malformed-request");
      assertThat(answer.header("Connection")).isEqualTo("close");
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  private static byte[] ilp(TestSender sender, long amount, long sequence, String headers) {
    byte[] body = IlpCodec.encode(sender.prepare(amount, sequence, 0, new StreamMoney(1, 1)));
    return RawHttp.request(
        "POST", "/ilp", inlet.ilpPort, headers == null ? auth : auth + "; " + headers, body);
  }

  private static byte[] get(String path) {
    return RawHttp.request("GET", path, inlet.ilpPort, null).getBytes(StandardCharsets.US_ASCII);
  }

  private static void assertFulfilled(TestSender sender, RawHttp.Response response, long sequence) {
    assertThat(response.status()).as(response.head()).isEqualTo(200);
    TestSender.Reply reply = sender.reply(response.body());
    assertThat(reply.fulfilled()).as("fulfilled: %s", reply.packet()).isTrue();
    assertThat(reply.stream().sequence()).isEqualTo(sequence);
  }

  private static String text(RawHttp.Response response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
