package dev.inlet.spsp;

import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.Receipts;
import dev.inlet.crypto.TargetKind;
import dev.inlet.web.Problems;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The SPSP answer every payment pointer shares, an account's ({@link SpspHandler}) or an invoice's:
 * checks the receipt headers, then issues fresh credentials for the target the pointer names. The
 * body is {@code {"destination_account": "<inlet address>.<account>.<token>", "shared_secret"
 * (base64, 32 bytes), "receipts_enabled"}} plus whatever the pointer adds (an invoice's {@code
 * balance} and {@code asset_info}), as {@code application/spsp4+json}, never cached.
 */
public final class SpspResponder {
  /** The SPSP v4 media type. */
  public static final MediaType spspMediaType = MediaType.parseMediaType("application/spsp4+json");

  private final ConnectionTokens tokens;
  private final String ilpAddress;

  /**
   * @param ilpAddress this receiver's ILP address
   */
  public SpspResponder(ConnectionTokens tokens, String ilpAddress) {
    this.tokens = tokens;
    this.ilpAddress = ilpAddress;
  }

  /**
   * What the query asked of receipts (RFC 0039): {@code Receipt-Nonce} (16 bytes) and {@code
   * Receipt-Secret} (32 bytes), both null when it asked for none.
   */
  public record ReceiptRequest(byte[] nonce, byte[] secret) {}

  /**
   * Answers a query: 400 {@code invalid-receipt-headers} when its receipt headers are malformed or
   * only one is given, before {@code answer} runs (so before any SQL); else what {@code answer}
   * gives, normally {@link #respond}.
   */
  public Mono<ServerResponse> query(
      ServerRequest request, Function<ReceiptRequest, Mono<ServerResponse>> answer) {
    ReceiptRequest receipts;
    try {
      receipts = receipts(request.headers()::firstHeader);
    } catch (IllegalArgumentException e) {
      return Problems.respond(HttpStatus.BAD_REQUEST, "invalid-receipt-headers", e.getMessage());
    }
    return answer.apply(receipts);
  }

  /**
   * The receipt headers of a query, by {@code header} (a request header's first value by name).
   *
   * @throws IllegalArgumentException with the problem's detail, when one is malformed or only one
   *     is given
   */
  public static ReceiptRequest receipts(Function<String, String> header) {
    byte[] nonce = header(header, "Receipt-Nonce", Receipts.nonceBytes);
    byte[] secret = header(header, "Receipt-Secret", Receipts.secretBytes);
    if ((nonce == null) != (secret == null)) {
      throw new IllegalArgumentException("Receipt-Nonce and Receipt-Secret go together");
    }
    return new ReceiptRequest(nonce, secret);
  }

  /**
   * 200 with fresh credentials for a connection paying into {@code kind} {@code targetId}.
   *
   * @param account the name of the account that receives, the address segment before the token
   * @param extra members added to the body after the standard ones
   */
  public Mono<ServerResponse> respond(
      ReceiptRequest receipts,
      TargetKind kind,
      long targetId,
      String account,
      Map<String, Object> extra) {
    return ServerResponse.ok()
        .contentType(spspMediaType)
        .cacheControl(CacheControl.noStore())
        .bodyValue(body(receipts, kind, targetId, account, extra));
  }

  /** {@link #respond}'s body, with fresh credentials. */
  public Map<String, Object> body(
      ReceiptRequest receipts,
      TargetKind kind,
      long targetId,
      String account,
      Map<String, Object> extra) {
    String token = tokens.issue(kind, targetId, receipts.nonce(), receipts.secret());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("destination_account", ilpAddress + "." + account + "." + token);
    body.put(
        "shared_secret",
        Base64.getEncoder()
            .encodeToString(tokens.sharedSecret(ConnectionTokens.connectionIdOf(token))));
    body.put("receipts_enabled", receipts.nonce() != null);
    body.putAll(extra);
    return body;
  }

  private static byte[] header(Function<String, String> header, String name, int length) {
    String value = header.apply(name);
    if (value == null) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " must be base64");
    }
    if (bytes.length != length) {
      throw new IllegalArgumentException(name + " must be " + length + " bytes, base64");
    }
    return bytes;
  }
}
