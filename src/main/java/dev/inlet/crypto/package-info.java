/**
 * Inlet's STREAM cryptography: packet encryption and condition/fulfillment derivation (RFC 0029
 * §5.1, §6), STREAM receipts (RFC 0039) and stateless connection tokens (RFC 0029 §4.1).
 *
 * <p>Pure JDK providers only (HmacSHA256, AES/GCM/NoPadding, SHA-256); no I/O. Every class here is
 * thread-safe: the JCA engines are cached per thread because this code runs once or more per ILP
 * packet.
 */
package dev.inlet.crypto;
