package io.glisk.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;

/** Whether an outside service answers at all (any HTTP status will do: it is up, even if it refuses us). */
public class ReachabilityHealth extends CachedHealth {

    private final URI origin;

    public ReachabilityHealth(String url, long cacheMillis) {
        super(cacheMillis);
        URI uri = URI.create(url);
        this.origin = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/");
    }

    @Override
    protected Health check() {
        long start = System.nanoTime();
        // a client a check, closed after it: a client kept between checks (half a minute apart at the most often)
        // keeps a selector thread that wakes every 3 s, in a service that is otherwise quiet
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).build()) {
            int status = http.send(HttpRequest.newBuilder(origin).timeout(Duration.ofSeconds(3)).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return Health.up().withDetail("url", origin.toString()).withDetail("httpStatus", status)
                    .withDetail("latencyMs", Duration.ofNanos(System.nanoTime() - start).toMillis()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.status(WARNING).withDetail("url", origin.toString()).withDetail("error", "interrupted").build();
        } catch (Exception e) {
            return Health.status(WARNING).withDetail("url", origin.toString())
                    .withDetail("error", e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())).build();
        }
    }
}
