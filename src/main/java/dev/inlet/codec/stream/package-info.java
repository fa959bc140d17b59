/**
 * STREAM packets and frames (RFC 0029 section 5) and their OER codec, operating on decrypted
 * plaintext. Amounts, offsets, ids and shares are unsigned 64-bit integers held in longs (values
 * above {@link java.lang.Long#MAX_VALUE} are negative; use {@link java.lang.Long#compareUnsigned}).
 */
package dev.inlet.codec.stream;
