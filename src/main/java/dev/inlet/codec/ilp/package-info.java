/** ILPv4 packets (RFC 0027), ILP addresses (RFC 0015) and their OER codec. */
package dev.inlet.codec.ilp;
