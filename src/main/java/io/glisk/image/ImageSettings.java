package io.glisk.image;

import io.glisk.provider.Origins;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where generated images may be fetched from (IMAGE_DOWNLOAD_ALLOWED_HOSTS): exact host names, or
 * {@code *.example.com} for any subdomain, over https (plain http only where allowed: local mode). The
 * image provider's own API origin (REPLICATE_BASE_URL) is trusted as it is, scheme included: we already
 * trust it with our token.
 */
@Validated
@ConfigurationProperties("glisk.images")
public record ImageSettings(
        List<String> allowedHosts,
        List<URI> trustedOrigins,
        boolean allowHttp,
        @Min(1024) @Max(100 * 1024 * 1024) int maxBytes,
        @Min(1) @Max(600) int timeoutSeconds) {

    public ImageSettings {
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).map(String::toLowerCase).toList();
        trustedOrigins = trustedOrigins == null ? List.of() : List.copyOf(trustedOrigins);
    }

    boolean trusts(URI uri) {
        return trustedOrigins.stream().anyMatch(origin -> Origins.same(origin, uri));
    }

    boolean allows(String host) {
        String h = host.toLowerCase();
        return allowedHosts.stream().anyMatch(allowed -> allowed.startsWith("*.")
                ? h.endsWith(allowed.substring(1)) && h.length() > allowed.length() - 1
                : h.equals(allowed));
    }
}
