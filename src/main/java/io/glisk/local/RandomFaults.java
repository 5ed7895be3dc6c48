package io.glisk.local;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SIMULATOR — the faults a simulator draws at random, each with its share of requests (0..1). One dice decides
 * among all of them, so the shares add up to the share of requests that go wrong.
 *
 * @param <F> the simulator's fault type
 */
public final class RandomFaults<F> {

    private final List<Map.Entry<Double, F>> shares;

    private RandomFaults(List<Map.Entry<Double, F>> shares) {
        this.shares = List.copyOf(shares);
    }

    @SafeVarargs
    public static <F> RandomFaults<F> of(Map.Entry<Double, F>... shares) {
        return new RandomFaults<>(List.of(shares));
    }

    /** A fault for the next request, or null when it goes right. */
    public F draw() {
        double dice = ThreadLocalRandom.current().nextDouble();
        double edge = 0;
        for (Map.Entry<Double, F> share : shares) {
            edge += share.getKey();
            if (dice < edge) {
                return share.getValue();
            }
        }
        return null;
    }
}
