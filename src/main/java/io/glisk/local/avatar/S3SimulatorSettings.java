package io.glisk.local.avatar;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The built-in S3 simulator (local mode and tests).
 *
 * @param accessKey      the only access key accepted in a request's signature; anonymous requests may only read
 *                       objects (the pictures' public URLs)
 * @param maxObjectBytes objects larger than this are refused with EntityTooLarge
 */
@ConfigurationProperties("glisk.simulators.s3")
public record S3SimulatorSettings(String accessKey, long maxObjectBytes) {

    public S3SimulatorSettings {
        maxObjectBytes = maxObjectBytes <= 0 ? 64L << 20 : maxObjectBytes;
    }
}
