package io.glisk.avatar;

import io.glisk.provider.ProviderCircuits;
import io.glisk.provider.ProviderHttpPolicy;
import io.glisk.provider.TransientFailure;
import io.glisk.settings.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP side of one provider, shared by all its calls: at most {@code maxConcurrent} requests in flight
 * (callers wait for a turn), an answer timeout, bounded answers, and the provider's bearer token added by
 * {@link ProviderHttpPolicy} — inside the client, for the provider's own origin only, no redirects followed, no
 * silent retries, every request timed in the provider metrics. Failures to get an answer are transient; what
 * the provider says is echoed only after the credential is taken out of it.
 */
final class ProviderCall implements AutoCloseable {

    /** What came back: status, the few headers we act on, and the body as text. */
    record Answer(int status, String body, String retryAfterMs, String retryAfter) {
    }

    /** Key-like words as providers echo them back: sk-…, sk-proj-…, r8_… */
    private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk-|r8_)[\\w*.-]{3,}");
    /** A key echoed half masked ("loc*********-key") still gives away its ends. */
    private static final Pattern MASKED = Pattern.compile("[\\w.-]*\\*{3,}[\\w.*-]*");

    private final String provider;
    private final Secret token;
    private final Semaphore turns;
    private final int timeoutSeconds;
    private final int maxAnswerBytes;
    private final CloseableHttpClient http;

    /**
     * @param provider       name in messages ("OpenAI", "Flowise")
     * @param metricsName    name in the provider metrics ("openai", "flowise")
     * @param origin         the provider's base URL: the token goes there and nowhere else
     */
    ProviderCall(String provider, String metricsName, String origin, Secret token, int maxConcurrent,
                 int timeoutSeconds, int maxAnswerBytes, ProviderCircuits circuits) {
        this.provider = provider;
        this.token = token;
        this.turns = new Semaphore(maxConcurrent, true);
        this.timeoutSeconds = timeoutSeconds;
        this.maxAnswerBytes = maxAnswerBytes;
        HttpClientBuilder builder = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(maxConcurrent).setMaxConnPerRoute(maxConcurrent)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(Math.min(10, timeoutSeconds)))
                                .setSocketTimeout(Timeout.ofSeconds(timeoutSeconds)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.ofSeconds(timeoutSeconds)).build());
        new ProviderHttpPolicy(metricsName, origin, token, circuits).configureHttpClient(builder);
        this.http = builder.build();
    }

    /** Sends the request when a turn is free and reads the whole answer. */
    Answer send(ClassicHttpRequest request) {
        try {
            turns.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(provider + " call interrupted while waiting for a turn");
        }
        try {
            return http.execute(request, response -> new Answer(response.getCode(), read(response.getEntity()),
                    header(response.getFirstHeader("retry-after-ms")), header(response.getFirstHeader("retry-after"))));
        } catch (TransientFailure tooLarge) {
            throw tooLarge;
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new TransientFailure(provider + " call interrupted");
            }
            throw new TransientFailure(provider + " did not answer within " + timeoutSeconds + " s");
        } catch (IOException e) {
            throw new TransientFailure(scrub(provider + " could not be reached: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        } finally {
            turns.release();
        }
    }

    /** The text without our credential or anything that looks like a key. */
    String scrub(String text) {
        String clean = text;
        if (!token.isBlank() && token.value().length() >= 4) {
            clean = clean.replace(token.value(), "…");
        }
        clean = MASKED.matcher(clean).replaceAll("…");
        return KEY_LIKE.matcher(clean).replaceAll("$1…");
    }

    private String read(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            byte[] bytes = in.readNBytes(maxAnswerBytes + 1);
            if (bytes.length > maxAnswerBytes) {
                throw new TransientFailure(provider + " answered more than " + maxAnswerBytes + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static String header(Header header) {
        return header == null ? null : header.getValue();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
