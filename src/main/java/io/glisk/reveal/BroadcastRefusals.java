package io.glisk.reveal;

import java.util.List;
import java.util.Locale;

/**
 * Sorts a node's refusal of a raw transaction by what can fix it. Nodes word these differently (geth, anvil,
 * reth, hosted RPCs), so the known phrases of each are matched case-insensitively.
 */
final class BroadcastRefusals {

    private static final List<String> ALREADY_KNOWN = List.of("already known", "known transaction",
            "already imported", "alreadyknown");
    /** The next batch, built with a fresh nonce and fresh fees, can go through at once. */
    private static final List<String> FRESH_NONCE_OR_FEES = List.of("nonce too low", "nonce too high",
            "underpriced", "less than block base fee", "fee cap less than", "feecap", "max fee per gas less");

    private BroadcastRefusals() {
    }

    static boolean alreadyKnown(String message) {
        return contains(message, ALREADY_KNOWN);
    }

    /** Whether the tokens can go again at once (fresh nonce or fees) rather than after the usual backoff. */
    static boolean curedByFreshNonceOrFees(String message) {
        return contains(message, FRESH_NONCE_OR_FEES);
    }

    private static boolean contains(String message, List<String> phrases) {
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return phrases.stream().anyMatch(lower::contains);
    }
}
