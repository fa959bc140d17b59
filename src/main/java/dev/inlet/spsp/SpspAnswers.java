package dev.inlet.spsp;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.crypto.StreamKeys;
import dev.inlet.stream.sender.AssetDetails;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads an SPSP answer's JSON body (RFC 0009 "Response", RFC 0039 {@code receipts_enabled}). */
final class SpspAnswers {
  private static final JsonMapper json = JsonMapper.builder().build();

  private SpspAnswers() {}

  /**
   * @throws SpspException {@code receiver-invalid} when the body is not a JSON object with a valid
   *     {@code destination_account} and a base64 32-byte {@code shared_secret}, or an optional
   *     field has the wrong shape
   */
  static SpspAnswer parse(byte[] body) throws SpspException {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JacksonException e) {
      throw invalid("the answer is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw invalid("the answer is not a JSON object");
    }
    return new SpspAnswer(
        destination(root.get("destination_account")),
        sharedSecret(root.get("shared_secret")),
        assetInfo(root.get("asset_info")),
        receipts(root.get("receipts_enabled")));
  }

  private static IlpAddress destination(JsonNode node) throws SpspException {
    if (node == null || !node.isString()) {
      throw invalid("destination_account is missing");
    }
    try {
      return IlpAddress.of(node.asString());
    } catch (IllegalArgumentException e) {
      throw invalid("destination_account is not an ILP address");
    }
  }

  private static byte[] sharedSecret(JsonNode node) throws SpspException {
    if (node == null || !node.isString()) {
      throw invalid("shared_secret is missing");
    }
    String text = node.asString().strip();
    byte[] secret;
    try {
      // RFC 0009 says base64; some receivers send the URL-safe alphabet.
      secret =
          text.indexOf('-') >= 0 || text.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(text)
              : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid("shared_secret is not base64");
    }
    if (secret.length != StreamKeys.sharedSecretBytes) {
      throw invalid("shared_secret is " + secret.length + " bytes, not 32");
    }
    return secret;
  }

  private static Optional<AssetDetails> assetInfo(JsonNode node) throws SpspException {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    JsonNode code = node.get("code");
    JsonNode scale = node.get("scale");
    if (!node.isObject()
        || code == null
        || !code.isString()
        || code.asString().isEmpty()
        || scale == null
        || !scale.isIntegralNumber()
        || !scale.canConvertToInt()
        || scale.intValue() < 0
        || scale.intValue() > 0xff) {
      throw invalid("asset_info must be {code, scale 0..255}");
    }
    return Optional.of(new AssetDetails(code.asString(), scale.intValue()));
  }

  private static boolean receipts(JsonNode node) throws SpspException {
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw invalid("receipts_enabled is not a boolean");
    }
    return node.booleanValue();
  }

  private static SpspException invalid(String detail) {
    return new SpspException(SpspException.receiverInvalid, detail);
  }
}
