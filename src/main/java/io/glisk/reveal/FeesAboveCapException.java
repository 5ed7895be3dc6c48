package io.glisk.reveal;

/** The network charges more than REVEAL_MAX_GAS_PRICE_GWEI right now: the reveal waits, it does not fail. */
public class FeesAboveCapException extends RuntimeException {

    public FeesAboveCapException(String message) {
        super(message);
    }
}
