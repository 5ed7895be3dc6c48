package io.glisk.provider;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.glisk.events.PipelineEvents;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.event.Level;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One circuit per provider, fed by every call to it (whatever stage makes the call), and the one place that
 * decides whether a provider may be called now:
 * <ul>
 *   <li>closed — calls go through; when most of the recent ones fail (5xx, no answer) the circuit opens;</li>
 *   <li>open — calls are refused without being sent ({@link ProviderUnavailable}), for GLISK_CIRCUIT_OPEN_SECONDS;
 *       then a few probe calls go through (half open) and their outcome closes or reopens it;</li>
 *   <li>throttled — the provider answered 429: every call waits until its Retry-After (capped by the maximum
 *       backoff) has passed, so one rate limit slows the whole stage down instead of each token retrying.</li>
 * </ul>
 * Transitions are logged ({@code provider.circuit_opened|half_open|closed}, {@code provider.throttled}) and the
 * state is exported as {@code glisk_circuit_state{provider}} (0 closed, 1 half open, 2 open, 3 throttled).
 */
@Component("providerCircuits")
public class ProviderCircuits {

    /** A provider's circuit and rate-limit state. */
    public final class Circuit {

        private final String provider;
        private final CircuitBreaker breaker;
        /** Calls that failed (5xx, no answer) since the last one the provider answered. */
        private final AtomicInteger failuresInARow = new AtomicInteger();
        private volatile long openedAtNanos;
        private volatile long throttledUntilNanos;

        private Circuit(String provider) {
            this.provider = provider;
            this.breaker = CircuitBreaker.of(provider, config);
            breaker.getEventPublisher().onStateTransition(event -> {
                CircuitBreaker.State to = event.getStateTransition().getToState();
                if (to == CircuitBreaker.State.OPEN) {
                    openedAtNanos = System.nanoTime();
                }
                PipelineEvents.event(to == CircuitBreaker.State.CLOSED ? Level.INFO : Level.WARN,
                                "provider.circuit_" + switch (to) {
                                    case OPEN, FORCED_OPEN -> "opened";
                                    case HALF_OPEN -> "half_open";
                                    default -> "closed";
                                })
                        .addKeyValue("provider", provider)
                        .addKeyValue("failure_rate_percent", breaker.getMetrics().getFailureRate()).log();
            });
            Gauge.builder("glisk.circuit.state", this, Circuit::stateCode).tag("provider", provider)
                    .description("0 closed, 1 half open (probing), 2 open (calls refused), 3 throttled (429)")
                    .register(Metrics.globalRegistry);
        }

        /** Refuses the call (nothing is sent) while the provider is throttled or its circuit open. */
        void permit() {
            long throttled = throttledUntilNanos - System.nanoTime();
            if (throttled > 0) {
                throw new ProviderUnavailable(provider, display() + " asked to slow down (HTTP 429): calls resume in "
                        + seconds(throttled) + " s", Duration.ofNanos(throttled));
            }
            if (!breaker.tryAcquirePermission()) {
                throw new ProviderUnavailable(provider, display() + " is unavailable: most recent calls failed, the next "
                        + "probe is in " + seconds(openRemainingNanos()) + " s", Duration.ofNanos(openRemainingNanos()));
            }
        }

        void answered(long startNanos, int status, String retryAfter) {
            long took = System.nanoTime() - startNanos;
            if (status == 429) {
                breaker.releasePermission();
                Duration wait = ProviderAnswers.retryAfter(retryAfter, null);
                long nanos = Math.min(maxThrottle.toNanos(), (wait == null ? Duration.ofSeconds(1) : wait).toNanos());
                throttledUntilNanos = System.nanoTime() + nanos;
                PipelineEvents.event(Level.WARN, "provider.throttled").addKeyValue("provider", provider)
                        .addKeyValue("wait_ms", TimeUnit.NANOSECONDS.toMillis(nanos)).log();
            } else if (status >= 500) {
                failuresInARow.incrementAndGet();
                breaker.onError(took, TimeUnit.NANOSECONDS, new IllegalStateException("HTTP " + status));
            } else {
                failuresInARow.set(0);
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            }
        }

        void failed(long startNanos, Throwable error) {
            failuresInARow.incrementAndGet();
            breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, error);
        }

        /**
         * The provider's last calls, as many as the circuit needs to weigh at least, all failed (5xx, no answer —
         * the provider's trouble, not a token's): what an outage looks like in the moments before the circuit has
         * seen enough of it to open (its recent calls still hold the successes from before).
         */
        boolean failingNow() {
            return failuresInARow.get() >= config.getMinimumNumberOfCalls();
        }

        /** How long until calls may go through again, if they cannot now. */
        public Optional<Duration> unavailableFor() {
            long throttled = throttledUntilNanos - System.nanoTime();
            if (throttled > 0) {
                return Optional.of(Duration.ofNanos(throttled));
            }
            return breaker.getState() == CircuitBreaker.State.OPEN && openRemainingNanos() > 0
                    ? Optional.of(Duration.ofNanos(openRemainingNanos())) : Optional.empty();
        }

        public String state() {
            return throttledUntilNanos > System.nanoTime() ? "throttled"
                    : breaker.getState().name().toLowerCase(java.util.Locale.ROOT);
        }

        public float failureRatePercent() {
            return breaker.getMetrics().getFailureRate();
        }

        private int stateCode() {
            if (throttledUntilNanos > System.nanoTime()) {
                return 3;
            }
            return switch (breaker.getState()) {
                case CLOSED, DISABLED, METRICS_ONLY -> 0;
                case HALF_OPEN -> 1;
                default -> 2;
            };
        }

        private long openRemainingNanos() {
            return Math.max(0, openedAtNanos + config.getWaitIntervalFunctionInOpenState().apply(1) * 1_000_000
                    - System.nanoTime());
        }

        private String display() {
            return ProviderCircuits.display(provider);
        }
    }

    private final CircuitBreakerConfig config;
    private final Duration maxThrottle;
    private final Map<String, Circuit> circuits = new ConcurrentHashMap<>();

    public ProviderCircuits(CircuitSettings settings, @Value("${glisk.retry.max-delay-millis}") long maxDelayMillis) {
        this.config = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRatePercent())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.recentCalls())
                .minimumNumberOfCalls(settings.minimumCalls())
                .waitDurationInOpenState(Duration.ofSeconds(settings.openSeconds()))
                .permittedNumberOfCallsInHalfOpenState(settings.probeCalls())
                .build();
        this.maxThrottle = Duration.ofMillis(maxDelayMillis);
    }

    public Circuit circuit(String provider) {
        return circuits.computeIfAbsent(provider, Circuit::new);
    }

    /**
     * A call to {@code provider} through its circuit: refused while the provider is unavailable, otherwise made
     * (and timed in the provider metrics) and its outcome recorded.
     */
    public <T, E1 extends Exception, E2 extends Exception> T call(String provider, ProviderMetrics.Exchange<T, E1, E2> exchange,
            ToIntFunction<T> statusOf, Function<T, String> retryAfterOf) throws E1, E2 {
        Circuit circuit = circuit(provider);
        circuit.permit();
        long start = System.nanoTime();
        T answer;
        try {
            answer = ProviderMetrics.timed(provider, exchange, statusOf);
        } catch (Exception e) {
            circuit.failed(start, e);
            throw e;
        }
        circuit.answered(start, statusOf.applyAsInt(answer), retryAfterOf.apply(answer));
        return answer;
    }

    /** The longest wait among these providers, if any of them cannot be called now. */
    public Optional<Duration> unavailableFor(Collection<String> providers) {
        return providers.stream().map(p -> circuit(p).unavailableFor()).flatMap(Optional::stream)
                .max(Duration::compareTo);
    }

    /**
     * Whether {@code provider} is down for everyone, as far as anyone can tell: throttling, open, being probed
     * after it was, or failing every call of late — the circuit may not have weighed enough calls to open yet
     * (a token whose attempts run out then waits for it rather than failing).
     */
    public boolean unavailable(String provider) {
        if (provider == null) {
            return false;
        }
        Circuit circuit = circuit(name(provider));
        return !"closed".equals(circuit.state()) || circuit.failingNow();
    }

    /** Seconds until {@code provider} may be called again, at least one. */
    public long waitSeconds(String provider) {
        return circuit(name(provider)).unavailableFor().map(d -> Math.max(1, seconds(d.toNanos()))).orElse(1L);
    }

    /** Every circuit closed and no provider throttled, as after a restart (an operator's reset). */
    public void reset() {
        circuits.values().forEach(circuit -> {
            circuit.breaker.reset();
            circuit.throttledUntilNanos = 0;
        });
    }

    /** Every circuit's state, by provider, for health, the summary API and the console. */
    public Map<String, Map<String, Object>> states() {
        Map<String, Map<String, Object>> states = new TreeMap<>();
        circuits.forEach((provider, circuit) -> {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("state", circuit.state());
            state.put("failureRatePercent", Math.max(0, circuit.failureRatePercent()));
            state.put("failuresInARow", circuit.failuresInARow.get());
            circuit.unavailableFor().ifPresent(wait -> state.put("availableInSeconds", seconds(wait.toNanos())));
            states.put(provider, state);
        });
        return states;
    }

    private static long seconds(long nanos) {
        return (TimeUnit.NANOSECONDS.toMillis(nanos) + 999) / 1000;
    }

    /** Routes name a provider as people spell it ("Replicate"); circuits go by the metric name ("replicate"). */
    private static String name(String provider) {
        return provider.toLowerCase(java.util.Locale.ROOT);
    }

    /** Metric names are lower case; people read the provider's own spelling. */
    static String display(String provider) {
        return switch (provider) {
            case "openai" -> "OpenAI";
            case "chain_rpc" -> "The RPC node";
            default -> Character.toUpperCase(provider.charAt(0)) + provider.substring(1);
        };
    }
}
