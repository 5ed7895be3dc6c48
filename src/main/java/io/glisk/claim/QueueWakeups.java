package io.glisk.claim;

import io.glisk.ops.PipelineEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.event.Level;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells each stage when its queue may have work: at once through PostgreSQL NOTIFY (sent by a trigger when a
 * token enters a queue status), and through one fallback poll per interval for all stages together, which
 * also lets go of expired leases. Also drives lease renewal. Idle cost: one query per poll interval.
 */
@Component
public class QueueWakeups implements SmartLifecycle, DisposableBean {

    static final String CHANNEL = "glisk_tokens";
    private static final int LISTEN_WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final TokenLeases leases;
    private final ClaimSettings settings;
    private final Map<String, List<Runnable>> wakers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean listening;
    private ScheduledExecutorService scheduler;
    private Thread listener;

    QueueWakeups(DataSource dataSource, NamedParameterJdbcTemplate jdbc, SqlResources sql, TokenLeases leases,
                 ClaimSettings settings) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.sql = sql;
        this.leases = leases;
        this.settings = settings;
    }

    void register(String status, Runnable waker) {
        wakers.computeIfAbsent(status, s -> new CopyOnWriteArrayList<>()).add(waker);
    }

    void unregister(String status, Runnable waker) {
        wakers.getOrDefault(status, List.of()).remove(waker);
    }

    /** Whether NOTIFY wake-ups are being received (otherwise only the fallback poll finds work). */
    public boolean isListening() {
        return listening;
    }

    private void wake(String status) {
        wakers.getOrDefault(status, List.of()).forEach(Runnable::run);
    }

    void probe() {
        Set<String> statuses = Set.copyOf(wakers.keySet().stream().filter(s -> !wakers.get(s).isEmpty()).toList());
        if (statuses.isEmpty()) {
            return;
        }
        try {
            List<Map<String, Object>> due = jdbc.queryForList(sql.load("sql/claim/probe.sql"),
                    new MapSqlParameterSource("statuses", "{" + String.join(",", statuses) + "}"));
            for (Map<String, Object> row : due) {
                String status = (String) row.get("status");
                Object expired = row.get("expired");
                if (expired != null) {
                    PipelineEvents.event(Level.WARN, "claim.leases_expired").addKeyValue("status", status)
                            .addKeyValue("token_ids", expired).log();
                }
                wake(status);
            }
        } catch (RuntimeException e) {
            PipelineEvents.event(Level.WARN, "claim.poll_failed").addKeyValue("error", e.getMessage()).log();
        }
    }

    private void listen() {
        long backoffMillis = 500;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                PGConnection pg = connection.unwrap(PGConnection.class);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                backoffMillis = 500;
                // a wake-up after (re)connecting covers whatever was notified while nobody listened
                wakers.keySet().forEach(this::wake);
                while (running) {
                    // waits on the socket (no query); short, so that stop() gets the connection back quickly
                    PGNotification[] notifications = pg.getNotifications(LISTEN_WAIT_MILLIS);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            wake(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!running) {
                    return;
                }
                PipelineEvents.event(Level.WARN, "claim.listen_failed").addKeyValue("error", e.getMessage())
                        .addKeyValue("retry_in_ms", backoffMillis).log();
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
            }
        }
        listening = false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("glisk-claim-poll").factory());
        long poll = settings.pollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::probe, poll, poll, TimeUnit.MILLISECONDS);
        long renew = settings.renewalInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
        listener = Thread.ofPlatform().daemon().name("glisk-claim-listen").start(this::listen);
    }

    private void renewLeases() {
        try {
            leases.renew();
        } catch (RuntimeException e) {
            PipelineEvents.event(Level.WARN, "claim.renew_failed").addKeyValue("error", e.getMessage()).log();
        }
    }

    @Override
    public void stop() {
        running = false;
        scheduler.shutdownNow();
        listener.interrupt();
        // the listener's connection must be back in the pool before the pool closes, or closing waits for it
        try {
            listener.join(Duration.ofMillis(4L * LISTEN_WAIT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Also when start-up fails half-way and lifecycle beans are never stopped. */
    @Override
    public void destroy() {
        if (running) {
            stop();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // stop after Camel (which stops its consumers first) so leases keep being renewed while routes drain
        return Integer.MAX_VALUE - 100;
    }
}
