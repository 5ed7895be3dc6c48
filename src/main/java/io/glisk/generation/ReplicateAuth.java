package io.glisk.generation;

import io.glisk.settings.Secret;
import java.net.URI;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.stereotype.Component;

/**
 * Adds the Replicate bearer token to requests for Replicate's own origin, inside the HTTP client: the token
 * never becomes a message header, so no log, trace or error can carry it, and it is never sent to another host.
 */
@Component("replicateAuth")
class ReplicateAuth implements HttpClientConfigurer {

    private final Secret token;
    private final URI origin;

    ReplicateAuth(ReplicateSettings settings) {
        this.token = settings.apiToken();
        this.origin = URI.create(settings.baseUrl());
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addRequestInterceptorFirst((request, entity, context) -> {
            if (token != null && !token.isBlank() && ReplicatePredictions.sameOrigin(origin, request.getScheme(),
                    request.getAuthority() == null ? null : request.getAuthority().getHostName(),
                    request.getAuthority() == null ? -1 : request.getAuthority().getPort())) {
                request.setHeader("Authorization", "Bearer " + token.value());
            }
        });
    }
}
