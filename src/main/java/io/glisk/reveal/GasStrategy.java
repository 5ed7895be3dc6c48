package io.glisk.reveal;

import java.math.BigDecimal;

/** KEEPER_GAS_STRATEGY: how far above the node's suggested priority fee the keeper bids. */
public enum GasStrategy {
    SLOW("0.8"), MEDIUM("1.0"), FAST("1.5");

    private final BigDecimal multiplier;

    GasStrategy(String multiplier) {
        this.multiplier = new BigDecimal(multiplier);
    }

    BigDecimal multiplier() {
        return multiplier;
    }
}
