package io.glisk.provider;

import io.glisk.settings.Secret;
import java.io.IOException;
import java.net.URI;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;

/**
 * How the HTTP client of a provider's endpoints behaves. It adds the provider's bearer token inside the
 * client, and only to requests for the provider's own origin: the token never becomes a message header, so
 * no log, trace or error can carry it, and it is never sent to another host (redirects are not followed
 * either). And it never retries by itself: the client's default would silently repeat a 429 or 503 (even a
 * POST), holding a thread and bypassing the attempts the pipeline counts. Every request goes through the
 * provider's circuit ({@link ProviderCircuits}: refused while the provider is down or throttled) and is timed
 * in the provider metrics.
 */
public class ProviderHttpPolicy implements HttpClientConfigurer {

    private final String provider;
    private final URI origin;
    private final Secret token;
    private final ProviderCircuits circuits;

    /**
     * @param provider name in metrics ({@link ProviderMetrics}) and of its circuit
     */
    public ProviderHttpPolicy(String provider, String origin, Secret token, ProviderCircuits circuits) {
        this.provider = provider;
        this.origin = URI.create(origin);
        this.token = token;
        this.circuits = circuits;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableRedirectHandling();
        builder.disableAutomaticRetries();
        builder.addExecInterceptorFirst("glisk-provider-circuit", (request, scope, chain) ->
                circuits.<ClassicHttpResponse, IOException, HttpException>call(provider,
                        () -> chain.proceed(request, scope), ClassicHttpResponse::getCode, ProviderHttpPolicy::retryAfter));
        builder.addRequestInterceptorFirst((request, entity, context) -> {
            var authority = request.getAuthority();
            if (token != null && !token.isBlank() && authority != null
                    && Origins.same(origin, request.getScheme(), authority.getHostName(), authority.getPort())) {
                request.setHeader("Authorization", "Bearer " + token.value());
            }
        });
    }

    private static String retryAfter(ClassicHttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        return header == null ? null : header.getValue();
    }
}
