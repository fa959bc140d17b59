/**
 * Pure-Java Interledger codecs: OER primitives (RFC 0030), ILPv4 packets (RFC 0027) and STREAM
 * packets (RFC 0029). No I/O, no framework dependencies; decoding never throws anything but the
 * checked {@link dev.inlet.codec.oer.DecodeException}.
 */
package dev.inlet.codec;
