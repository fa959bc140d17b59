package dev.inlet.stream.sender;

import dev.inlet.codec.ilp.IlpPrepare;

/**
 * A money Prepare awaiting its answer.
 *
 * @param sequence its STREAM sequence
 * @param amount source units (unsigned 64-bit)
 * @param minDelivered the least the receiver may accept, destination units
 * @param expected what it should deliver at the rate it was sent at, destination units
 * @param rateGeneration which rate it was sent at (the rate is renewed at most once)
 * @param prepare the Prepare itself
 */
record Flight(
    long sequence,
    long amount,
    long minDelivered,
    long expected,
    int rateGeneration,
    IlpPrepare prepare) {}
