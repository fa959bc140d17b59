/**
 * The Bilateral Transfer Protocol 2.0 (RFC 0023): its four packets (Message, Response, Error,
 * Transfer), their protocol data entries and their OER codec. Pure Java; decoding throws only
 * {@link dev.inlet.codec.oer.DecodeException}.
 */
package dev.inlet.codec.btp;
