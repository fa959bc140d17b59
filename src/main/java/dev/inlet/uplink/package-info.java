/**
 * The uplink to the parent connector: where Inlet's outgoing ILP Prepares go ({@link
 * dev.inlet.uplink.Uplink}, over ILP-over-HTTP or BTP), where a BTP parent's incoming Prepares come
 * from, and how Inlet learns its own ILP address and asset from the parent (ILDCP, {@link
 * dev.inlet.uplink.IlpIdentity}).
 */
package dev.inlet.uplink;
