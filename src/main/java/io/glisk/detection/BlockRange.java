package io.glisk.detection;

/** Blocks from..to, both included. */
public record BlockRange(long from, long to) {
}
