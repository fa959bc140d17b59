/**
 * The STREAM sender (RFC 0029 §4–6): pays an amount to a STREAM receiver through a {@link
 * dev.inlet.stream.sender.PacketLink}, recording every paying Prepare in a {@link
 * dev.inlet.stream.sender.SendLog} before it leaves. Pure protocol core: no Spring, no JDBC, no
 * Netty. Amounts are unsigned 64-bit integers held in longs (use {@link
 * java.lang.Long#compareUnsigned}); exchange rates are exact fractions.
 */
package dev.inlet.stream.sender;
