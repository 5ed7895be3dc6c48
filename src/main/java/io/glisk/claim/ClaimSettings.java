package io.glisk.claim;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How stages claim work (environment names from the seeds: WORKER_BATCH_SIZE, POLL_INTERVAL_SECONDS).
 *
 * @param batchSize           tokens in flight per stage and instance
 * @param pollIntervalSeconds period of the fallback poll while the LISTEN connection is down
 * @param quietPollSeconds    period of the fallback poll while LISTEN works (wake-ups come by NOTIFY, and the poll
 *                            also runs whenever a delayed row or a lease comes due): a safety net, nothing more
 * @param leaseSeconds        how long a claim lasts without renewal; a dead holder's tokens come back after this
 * @param instanceId          this instance's name as lease holder (shown to operators; a lease itself belongs
 *                            to the claim that took it); generated when blank
 * @param listenCheckSeconds  a LISTEN connection quiet for this long gets a round trip, so one that died
 *                            silently is noticed and replaced
 */
@Validated
@ConfigurationProperties("glisk.worker")
public record ClaimSettings(
        @Min(value = 1, message = BATCH_SIZE) @Max(value = 1000, message = BATCH_SIZE) int batchSize,
        @DecimalMin(value = "0.05", message = "POLL_INTERVAL_SECONDS must be at least 0.05") double pollIntervalSeconds,
        @Min(value = 1, message = QUIET_POLL) @Max(value = 3600, message = QUIET_POLL) int quietPollSeconds,
        @Min(value = 3, message = LEASE) @Max(value = 3600, message = LEASE) int leaseSeconds,
        String instanceId,
        @Min(value = 1, message = LISTEN_CHECK) @Max(value = 3600, message = LISTEN_CHECK) int listenCheckSeconds) {

    private static final String BATCH_SIZE = "WORKER_BATCH_SIZE must be between 1 and 1000";
    private static final String LEASE = "GLISK_LEASE_SECONDS must be between 3 and 3600";
    private static final String QUIET_POLL = "GLISK_QUIET_POLL_SECONDS must be between 1 and 3600";
    private static final String LISTEN_CHECK = "GLISK_LISTEN_CHECK_SECONDS must be between 1 and 3600";

    public Duration pollInterval() {
        return Duration.ofMillis(Math.round(pollIntervalSeconds * 1000));
    }

    public Duration quietPollInterval() {
        return Duration.ofSeconds(quietPollSeconds);
    }

    /** Renewal runs well inside the lease so that one late renewal never loses a live holder's tokens. */
    public Duration renewalInterval() {
        return Duration.ofMillis(leaseSeconds * 1000L / 3);
    }
}
