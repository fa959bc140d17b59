package dev.inlet.crypto;

import java.security.MessageDigest;

/** ILP execution conditions: {@code condition = SHA-256(fulfillment)} (RFC 0029 §6, RFC 0027). */
public final class Conditions {

  /** Length in bytes of a fulfillment and of a condition. */
  public static final int lengthBytes = 32;

  private Conditions() {}

  /**
   * @param fulfillment 32 bytes
   * @return its condition, SHA-256 of the fulfillment, 32 bytes
   * @throws IllegalArgumentException if the fulfillment is not 32 bytes
   */
  public static byte[] condition(byte[] fulfillment) {
    requireLength(fulfillment, "fulfillment");
    return Primitives.sha256(fulfillment);
  }

  /**
   * Whether {@code fulfillment} fulfils {@code condition}, compared in constant time.
   *
   * @param fulfillment 32 bytes
   * @param condition 32 bytes, e.g. a Prepare's executionCondition
   * @throws IllegalArgumentException if either is not 32 bytes
   */
  public static boolean fulfills(byte[] fulfillment, byte[] condition) {
    requireLength(condition, "condition");
    return MessageDigest.isEqual(condition(fulfillment), condition);
  }

  private static void requireLength(byte[] value, String name) {
    if (value.length != lengthBytes) {
      throw new IllegalArgumentException(name + " must be 32 bytes, got " + value.length);
    }
  }
}
