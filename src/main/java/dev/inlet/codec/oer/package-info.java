/** CANONICAL-OER primitives as profiled for Interledger by RFC 0030. */
package dev.inlet.codec.oer;
