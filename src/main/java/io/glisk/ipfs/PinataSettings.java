package io.glisk.ipfs;

import io.glisk.settings.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Pinata v1 pinning API (PINATA_JWT, PINATA_API_URL, PINATA_GATEWAY).
 *
 * @param gateway        the gateway people open pins through: a host (https is assumed) or a full base URL
 * @param timeoutSeconds HTTP response timeout of a pin request
 */
@Validated
@ConfigurationProperties("glisk.pinata")
public record PinataSettings(
        Secret jwt,
        @NotBlank String apiUrl,
        @NotBlank String gateway,
        @Min(1) @Max(600) int timeoutSeconds) {
}
