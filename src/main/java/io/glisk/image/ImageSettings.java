package io.glisk.image;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where generated images may be fetched from (IMAGE_DOWNLOAD_ALLOWED_HOSTS): exact host names, or
 * {@code *.example.com} for any subdomain. Plain http only where allowed (the local simulators).
 */
@Validated
@ConfigurationProperties("glisk.images")
public record ImageSettings(
        List<String> allowedHosts,
        boolean allowHttp,
        @Min(1024) @Max(100 * 1024 * 1024) int maxBytes,
        @Min(1) @Max(600) int timeoutSeconds) {

    public ImageSettings {
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).map(String::toLowerCase).toList();
    }

    boolean allows(String host) {
        String h = host.toLowerCase();
        return allowedHosts.stream().anyMatch(allowed -> allowed.startsWith("*.")
                ? h.endsWith(allowed.substring(1)) && h.length() > allowed.length() - 1
                : h.equals(allowed));
    }
}
