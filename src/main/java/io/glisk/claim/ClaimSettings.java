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
 * @param pollIntervalSeconds period of the fallback poll that backs up the NOTIFY wake-ups
 * @param leaseSeconds        how long a claim lasts without renewal; a dead holder's tokens come back after this
 * @param instanceId          this instance's name as lease holder; generated when blank
 */
@Validated
@ConfigurationProperties("glisk.worker")
public record ClaimSettings(
        @Min(1) @Max(1000) int batchSize,
        @DecimalMin("0.05") double pollIntervalSeconds,
        @Min(3) @Max(3600) int leaseSeconds,
        String instanceId) {

    public Duration pollInterval() {
        return Duration.ofMillis(Math.round(pollIntervalSeconds * 1000));
    }

    /** Renewal runs well inside the lease so that one late renewal never loses a live holder's tokens. */
    public Duration renewalInterval() {
        return Duration.ofMillis(leaseSeconds * 1000L / 3);
    }
}
