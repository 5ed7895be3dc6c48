package io.glisk.provider;

import io.glisk.settings.Secret;
import java.io.IOException;
import java.net.URI;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * How the HTTP client of a provider's endpoints behaves. It adds the provider's bearer token inside the
 * client, and only to requests for the provider's own origin: the token never becomes a message header, so
 * no log, trace or error can carry it, and it is never sent to another host (redirects are not followed
 * either). And it never retries by itself: the client's default would silently repeat a 429 or 503 (even a
 * POST), holding a thread and bypassing the attempts the pipeline counts. Every request is timed in the
 * provider metrics.
 */
public class ProviderHttpPolicy implements HttpClientConfigurer {

    private final String provider;
    private final URI origin;
    private final Secret token;

    /**
     * @param provider name in metrics ({@link ProviderMetrics})
     */
    public ProviderHttpPolicy(String provider, String origin, Secret token) {
        this.provider = provider;
        this.origin = URI.create(origin);
        this.token = token;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableRedirectHandling();
        builder.disableAutomaticRetries();
        builder.addExecInterceptorFirst("glisk-provider-metrics", (request, scope, chain) ->
                ProviderMetrics.<ClassicHttpResponse, IOException, HttpException>timed(provider,
                        () -> chain.proceed(request, scope), ClassicHttpResponse::getCode));
        builder.addRequestInterceptorFirst((request, entity, context) -> {
            var authority = request.getAuthority();
            if (token != null && !token.isBlank() && authority != null
                    && Origins.same(origin, request.getScheme(), authority.getHostName(), authority.getPort())) {
                request.setHeader("Authorization", "Bearer " + token.value());
            }
        });
    }
}
