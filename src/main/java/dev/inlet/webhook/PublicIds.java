package dev.inlet.webhook;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Public ids of webhooks ({@code wh_}) and deliveries ({@code whd_}): the prefix and 26 random
 * base32 characters (130 bits), so ids neither leak counts nor can be guessed.
 */
final class PublicIds {
  static final String webhookPrefix = "wh_";
  static final String deliveryPrefix = "whd_";

  private static final char[] alphabet = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final int length = 26;
  private static final SecureRandom random = new SecureRandom();
  private static final Pattern webhook = Pattern.compile("wh_[a-z2-7]{26}");
  private static final Pattern delivery = Pattern.compile("whd_[a-z2-7]{26}");

  private PublicIds() {}

  static String webhook() {
    return generate(webhookPrefix);
  }

  static String delivery() {
    return generate(deliveryPrefix);
  }

  static boolean isWebhook(String id) {
    return id != null && webhook.matcher(id).matches();
  }

  static boolean isDelivery(String id) {
    return id != null && delivery.matcher(id).matches();
  }

  private static String generate(String prefix) {
    StringBuilder s = new StringBuilder(prefix.length() + length).append(prefix);
    for (int i = 0; i < length; i++) {
      s.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return s.toString();
  }
}
