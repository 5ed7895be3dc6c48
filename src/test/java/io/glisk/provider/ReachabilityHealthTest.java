package io.glisk.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.glisk.support.FreePorts;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** A provider's reachability as health shows it, and what the check leaves running between probes. */
class ReachabilityHealthTest {

    @Test
    void anAnsweringProviderIsUpWhateverItsStatusAndAClosedPortIsAWarning() throws Exception {
        HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/", exchange -> {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        provider.start();
        try {
            Health up = new ReachabilityHealth("http://127.0.0.1:" + provider.getAddress().getPort() + "/v1/models/x", 0).health();

            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("httpStatus", 401)
                    .containsEntry("url", "http://127.0.0.1:" + provider.getAddress().getPort() + "/");
        } finally {
            provider.stop(0);
        }

        Health away = new ReachabilityHealth("http://127.0.0.1:" + FreePorts.next() + "/api", 0).health();

        assertThat(away.getStatus()).isEqualTo(CachedHealth.WARNING);
        assertThat(away.getDetails().get("error").toString()).startsWith("ConnectException");
    }

    @Test
    void checksLeaveNoClientThreadBehindToWakeAQuietService() throws Exception {
        long before = selectorThreads();
        ReachabilityHealth health = new ReachabilityHealth("http://127.0.0.1:" + FreePorts.next() + "/", 0);

        for (int i = 0; i < 3; i++) {
            health.health();
        }

        // a client's selector thread ends shortly after the client is closed
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (selectorThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(selectorThreads()).isLessThanOrEqualTo(before);
    }

    private static long selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().endsWith("-SelectorManager")).count();
    }
}
