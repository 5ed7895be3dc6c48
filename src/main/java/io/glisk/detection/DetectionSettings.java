package io.glisk.detection;

import io.glisk.settings.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Mint detection.
 *
 * @param startBlock          where the log poller starts when it has no checkpoint yet (the contract's deployment)
 * @param webhookEnabled      whether POST /webhooks/alchemy is served (ALCHEMY_WEBHOOK_ENABLED)
 * @param webhookSecret       the Alchemy signing key (ALCHEMY_WEBHOOK_SECRET)
 * @param webhookMaxBytes     deliveries larger than this are refused before they are read
 * @param recoveryBatch       token ids looked up per JSON-RPC batch by gap recovery
 * @param recoveryIntervalSeconds how often gap recovery runs after the one at start-up
 *                            (DETECTION_RECOVERY_INTERVAL_SECONDS): a contract call and a count each time, the
 *                            search for missing ids only when the count falls short
 */
@Validated
@ConfigurationProperties("glisk.detection")
public record DetectionSettings(
        @Min(0) long startBlock,
        boolean webhookEnabled,
        Secret webhookSecret,
        @Min(1024) @Max(64 * 1024 * 1024) int webhookMaxBytes,
        @Min(1) @Max(1000) int recoveryBatch,
        @Min(1) @Max(7 * 24 * 3600) int recoveryIntervalSeconds) {
}
