package io.glisk.provider;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * {@code glisk_provider_requests_seconds{provider, outcome}}: latency and outcome (2xx, 4xx, 429, 5xx,
 * io_error) of every request to an outside service — Replicate, Pinata, image hosts, the chain's RPC node.
 */
public final class ProviderMetrics {

    /** Timers by provider and outcome, looked up once (the registry's look-up builds and hashes an id each time). */
    private static final Map<String, Timer> TIMERS = new ConcurrentHashMap<>();

    private ProviderMetrics() {
    }

    /** An HTTP exchange, as each client library spells it (with up to two checked exceptions). */
    @FunctionalInterface
    public interface Exchange<T, E1 extends Exception, E2 extends Exception> {
        T send() throws E1, E2;
    }

    /** Times {@code exchange}; its outcome is the answer's status class, or io_error when it throws. */
    public static <T, E1 extends Exception, E2 extends Exception> T timed(String provider, Exchange<T, E1, E2> exchange,
            ToIntFunction<T> statusOf) throws E1, E2 {
        long start = System.nanoTime();
        String outcome = "io_error";
        try {
            T answer = exchange.send();
            int status = statusOf.applyAsInt(answer);
            outcome = status == 429 ? "429" : status / 100 + "xx";
            return answer;
        } finally {
            timer(provider, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private static Timer timer(String provider, String outcome) {
        return TIMERS.computeIfAbsent(provider + ' ' + outcome, key -> Metrics.globalRegistry.timer(
                "glisk.provider.requests", "provider", provider, "outcome", outcome));
    }
}
