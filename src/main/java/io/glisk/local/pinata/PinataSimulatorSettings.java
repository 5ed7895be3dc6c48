package io.glisk.local.pinata;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The built-in Pinata simulator (local mode and tests).
 *
 * @param jwt          the only bearer JWT accepted; any other gets 401 (default {@value #DEFAULT_JWT})
 * @param maxBodyBytes request bodies larger than this get 413 (default 100 MB)
 * @param throttleRate share of pin requests answered 429 at random (0..1), for demos
 * @param errorRate    share of pin requests answered 500 at random (0..1), for demos
 * @param slowRate     share of pin requests held back {@code slowMillis} before they are answered (and pinned)
 * @param slowMillis   how long a slow answer is held back (default 90 s: past any sane client timeout)
 */
@ConfigurationProperties("glisk.simulators.pinata")
public record PinataSimulatorSettings(
        String jwt,
        long maxBodyBytes,
        double throttleRate,
        double errorRate,
        double slowRate,
        long slowMillis) {

    public static final String DEFAULT_JWT = "local-pinata-jwt";
    public static final long DEFAULT_MAX_BODY_BYTES = 100L * 1024 * 1024;

    public PinataSimulatorSettings {
        jwt = jwt == null || jwt.isBlank() ? DEFAULT_JWT : jwt;
        maxBodyBytes = maxBodyBytes <= 0 ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        slowMillis = slowMillis <= 0 ? 90_000 : slowMillis;
    }
}
