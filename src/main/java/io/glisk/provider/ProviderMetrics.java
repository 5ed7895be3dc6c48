package io.glisk.provider;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * {@code glisk_provider_requests_seconds{provider, outcome}}: latency and outcome (2xx, 4xx, 429, 5xx,
 * io_error) of every request to an outside service — Replicate, Pinata, image hosts, the chain's RPC node.
 */
public final class ProviderMetrics {

    private ProviderMetrics() {
    }

    public static String outcome(int status) {
        return status == 429 ? "429" : status / 100 + "xx";
    }

    public static void record(String provider, String outcome, long startNanos) {
        registry().timer("glisk.provider.requests", "provider", provider, "outcome", outcome)
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** Times {@code call}; its outcome is {@code outcomeOf(result)}, or io_error when it throws. */
    public static <T> T timed(String provider, Callable<T> call, ToIntFunction<T> statusOf) throws Exception {
        long start = System.nanoTime();
        String outcome = "io_error";
        try {
            T result = call.call();
            outcome = outcome(statusOf.applyAsInt(result));
            return result;
        } finally {
            record(provider, outcome, start);
        }
    }

    private static MeterRegistry registry() {
        return Metrics.globalRegistry;
    }
}
