package io.glisk.provider;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * When a provider counts as down for everyone, and how it is probed again (one circuit per provider: Replicate,
 * Pinata, OpenAI, Flowise, the chain's RPC node).
 *
 * @param failureRatePercent  share of the recent calls that must have failed (5xx, no answer) to open the
 *                            circuit; 4xx answers and 429s are the provider answering, not failing
 * @param recentCalls         how many of the latest calls that share is taken over
 * @param minimumCalls        calls needed in the window before the share counts
 * @param openSeconds         how long an open circuit refuses calls before a few probe calls are let through
 * @param probeCalls          calls let through to probe a provider whose circuit has been open
 */
@Validated
@ConfigurationProperties("glisk.circuit")
public record CircuitSettings(
        @Min(1) @Max(100) int failureRatePercent,
        @Min(1) @Max(1000) int recentCalls,
        @Min(1) @Max(1000) int minimumCalls,
        @Min(1) @Max(3600) int openSeconds,
        @Min(1) @Max(100) int probeCalls) {
}
