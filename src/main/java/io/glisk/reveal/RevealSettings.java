package io.glisk.reveal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The reveal stage (names from the seeds: BATCH_REVEAL_MAX_TOKENS, BATCH_REVEAL_WAIT_SECONDS,
 * REVEAL_GAS_BUFFER, KEEPER_GAS_STRATEGY, REVEAL_MAX_GAS_PRICE_GWEI, TRANSACTION_TIMEOUT_SECONDS).
 *
 * @param maxGasPriceGwei       the most the keeper pays per gas (base fee + priority fee); above it reveals wait
 * @param replacementBumpPercent how much a stuck transaction's replacement raises both fee fields (nodes
 *                               require at least 12.5 %)
 * @param receiptPollMillis     how often open transactions are checked
 * @param retryDelaySeconds     first pause after a failed reveal; doubles per failure up to maxRetryDelaySeconds
 */
@Validated
@ConfigurationProperties("glisk.reveal")
public record RevealSettings(
        @Min(value = 1, message = MAX_TOKENS) @Max(value = 256, message = MAX_TOKENS) int maxTokens,
        @Min(value = 0, message = "BATCH_REVEAL_WAIT_SECONDS must be a whole number of seconds, 0 or more") int waitSeconds,
        @DecimalMin(value = "1.0", message = GAS_BUFFER) @DecimalMax(value = "5.0", message = GAS_BUFFER) BigDecimal gasBuffer,
        @NotNull(message = "KEEPER_GAS_STRATEGY must be slow, medium or fast") GasStrategy gasStrategy,
        @NotNull @DecimalMin(value = "0", inclusive = false, message = "REVEAL_MAX_GAS_PRICE_GWEI must be above 0")
        BigDecimal maxGasPriceGwei,
        @Min(value = 5, message = TIMEOUT) @Max(value = 86_400, message = TIMEOUT) int transactionTimeoutSeconds,
        @DecimalMin("12.5") @DecimalMax("200") BigDecimal replacementBumpPercent,
        @Min(50) @Max(60_000) int receiptPollMillis,
        @Min(1) int retryDelaySeconds,
        @Min(1) int maxRetryDelaySeconds) {

    private static final String MAX_TOKENS = "BATCH_REVEAL_MAX_TOKENS must be between 1 and 256";
    private static final String GAS_BUFFER = "REVEAL_GAS_BUFFER must be between 1.0 and 5.0";
    private static final String TIMEOUT = "TRANSACTION_TIMEOUT_SECONDS must be between 5 and 86400";

    BigInteger maxGasPriceWei() {
        return maxGasPriceGwei.multiply(BigDecimal.TEN.pow(9)).toBigInteger();
    }
}
