package io.glisk.claim;

import io.glisk.events.PipelineEvents;
import io.glisk.sql.SqlResources;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.event.Level;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/**
 * Tells each stage when its queue may have work: through PostgreSQL NOTIFY, sent by triggers when a row enters a
 * queue ({@code <queue>}: now) or becomes claimable at a later instant ({@code <queue>@<epoch millis>}: a delayed
 * retry, a wait for a provider), and through a fallback poll per probe statement, which also lets go of expired
 * leases and says when the next row comes due. While LISTEN works, the poll runs when something comes due and
 * otherwise every GLISK_QUIET_POLL_SECONDS — an idle pipeline queries nothing in between; while LISTEN is down it
 * runs every POLL_INTERVAL_SECONDS. The LISTEN connection is checked with a round trip when it has been quiet
 * for a while, so a connection that died silently (server restarted, network cut) is noticed, reported in
 * health and replaced rather than leaving pick-up to the slow poll unnoticed.
 *
 * <p>The poll lets go of leases that ran out, but only once this instance has had the database for a whole lease
 * period: while the database is away nobody can renew a lease, so right after an outage (or a start-up, which
 * cannot tell what came before) every live holder first gets that period to renew its leases — work that outlived
 * the outage finishes under its own lease instead of being done again.
 */
@Component
public class QueueWakeups implements SmartLifecycle, DisposableBean {

    static final String CHANNEL = "glisk_queues";
    /** Earliest the poll runs again after it ran, however soon something comes due. */
    private static final long MIN_POLL_GAP_MILLIS = 20;
    /**
     * How long the listener waits on its socket at a time. Each wait that ends with nothing costs a wake-up and the
     * driver's timeout exception, an idle service's steady cost; stop() does not wait for it (see there).
     */
    private static final int LISTEN_WAIT_MILLIS = 5_000;
    /** A dead LISTEN connection fails its round trip within this. */
    private static final int CHECK_TIMEOUT_MILLIS = 5_000;

    private final DataSource dataSource;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final ClaimSettings settings;
    private final Map<String, List<Runnable>> wakers = new ConcurrentHashMap<>();
    /** The fallback poll statement of each queue. */
    private final Map<String, String> probes = new ConcurrentHashMap<>();
    /** The least time between two runs of a probe statement, and when it last ran (System.nanoTime). */
    private final Map<String, Long> probeEveryNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> probedAt = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean listening;
    private volatile String listenError;
    private volatile Instant listenDownSince = Instant.now();
    /** Since when (System.nanoTime) this instance has had the database without a break; null while it is away. */
    private volatile Long databaseSince;
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> nextPoll;
    private long nextPollAt;
    private ExecutorService checker;
    private Thread listener;

    QueueWakeups(DataSource dataSource, NamedParameterJdbcTemplate jdbc, SqlResources sql, ClaimSettings settings) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.sql = sql;
        this.settings = settings;
    }

    /**
     * @param probeEvery how often the queue's probe statement runs at the most; zero means at every poll
     */
    void register(String queue, String probeSql, Duration probeEvery, Runnable waker) {
        probes.put(queue, probeSql);
        probeEveryNanos.put(probeSql, probeEvery.toNanos());
        wakers.computeIfAbsent(queue, s -> new CopyOnWriteArrayList<>()).add(waker);
    }

    void unregister(String queue, Runnable waker) {
        List<Runnable> registered = wakers.get(queue);
        if (registered != null) {
            registered.remove(waker);
        }
    }

    /** Whether NOTIFY wake-ups are being received (otherwise only the fallback poll finds work). */
    public boolean isListening() {
        return listening;
    }

    /** Why the LISTEN connection is down, while it is. */
    public String listenError() {
        return listening ? null : listenError;
    }

    public Instant listenDownSince() {
        return listening ? null : listenDownSince;
    }

    private void wake(String queue) {
        wakers.getOrDefault(queue, List.of()).forEach(Runnable::run);
    }

    /** Runs every probe statement once, then schedules the next poll for when something comes due. */
    void probe() {
        synchronized (this) {
            nextPoll = null; // this run; the next one is scheduled below
        }
        Map<String, List<String>> queuesByProbe = wakers.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .collect(Collectors.groupingBy(e -> probes.get(e.getKey()),
                        Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        long nextDue = Long.MAX_VALUE;
        long now = System.nanoTime();
        for (Map.Entry<String, List<String>> probe : queuesByProbe.entrySet()) {
            Long last = probedAt.get(probe.getKey());
            if (last == null || now - last >= probeEveryNanos.getOrDefault(probe.getKey(), 0L)) {
                probedAt.put(probe.getKey(), now);
                nextDue = Math.min(nextDue, probe(probe.getKey(), probe.getValue()));
            }
        }
        long quiet = listening ? settings.quietPollInterval().toMillis() : settings.pollInterval().toMillis();
        long nowMillis = System.currentTimeMillis();
        schedulePoll(Math.min(nowMillis + quiet, Math.max(nowMillis + MIN_POLL_GAP_MILLIS, nextDue)));
    }

    /** One probe statement; answers when its next row comes due (epoch millis), or Long.MAX_VALUE. */
    private long probe(String probeSql, List<String> queues) {
        long nextDue = Long.MAX_VALUE;
        try {
            ConnectionCallback<List<Map<String, Object>>> probing = connection -> {
                // the grace is reckoned with a connection in hand: waiting for one may have lasted a whole outage
                // (up to Hikari's connection timeout), and a grace reckoned before it would let go of every lease
                // that ran out meanwhile, live holders' included, the moment the database is back
                Long since = databaseSince;
                long now = System.nanoTime();
                double hadDatabaseSeconds = since == null ? 0 : (now - since) / 1e9;
                List<Map<String, Object>> answer = new NamedParameterJdbcTemplate(
                        new SingleConnectionDataSource(connection, true)).queryForList(sql.load(probeSql),
                        new MapSqlParameterSource()
                                .addValue("statuses", new SqlArrayValue("text", queues.toArray()))
                                .addValue("graceSeconds", Math.max(0, settings.leaseSeconds() - hadDatabaseSeconds))
                                .addValue("leaseSeconds", settings.leaseSeconds()));
                if (since == null) {
                    databaseSince = now;
                }
                return answer;
            };
            List<Map<String, Object>> rows = jdbc.getJdbcOperations().execute(probing);
            for (Map<String, Object> row : rows) {
                String queue = (String) row.get("status");
                Object expired = row.get("expired");
                if (expired != null) {
                    PipelineEvents.event(Level.WARN, "claim.leases_expired").addKeyValue("status", queue)
                            .addKeyValue("token_ids", expired).log();
                }
                if (!Boolean.FALSE.equals(row.get("ready"))) {
                    wake(queue);
                }
                if (row.get("next_due") instanceof java.sql.Timestamp due) {
                    nextDue = Math.min(nextDue, due.getTime());
                }
            }
        } catch (RuntimeException e) {
            databaseSince = null;
            PipelineEvents.event(Level.WARN, "claim.poll_failed").addKeyValue("error", PipelineEvents.failure(e)).log();
            nextDue = System.currentTimeMillis() + settings.pollInterval().toMillis();
        }
        return nextDue;
    }

    /** The next poll runs at {@code atMillis}, unless one is already due earlier. */
    private synchronized void schedulePoll(long atMillis) {
        if (!running || (nextPoll != null && !nextPoll.isDone() && nextPollAt <= atMillis)) {
            return;
        }
        if (nextPoll != null) {
            nextPoll.cancel(false);
        }
        nextPollAt = atMillis;
        nextPoll = scheduler.schedule((Runnable) this::probe, Math.max(0, atMillis - System.currentTimeMillis()),
                TimeUnit.MILLISECONDS);
    }

    /** A wake-up for a row that comes due at {@code atMillis}: its queue is woken then. */
    private void wakeAt(String queue, long atMillis) {
        long delay = atMillis - System.currentTimeMillis();
        if (delay <= 0) {
            wake(queue);
        } else {
            scheduler.schedule(() -> wake(queue), delay, TimeUnit.MILLISECONDS);
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
                PipelineEvents.event(Level.INFO, "claim.listening").addKeyValue("channel", CHANNEL).log();
                // a wake-up after (re)connecting covers whatever was notified while nobody listened
                new ArrayList<>(wakers.keySet()).forEach(this::wake);
                long quietSince = System.nanoTime();
                while (running) {
                    // waits on the socket (no query)
                    PGNotification[] notifications = pg.getNotifications(LISTEN_WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        quietSince = System.nanoTime();
                        for (PGNotification n : notifications) {
                            String payload = n.getParameter();
                            int at = payload.indexOf('@');
                            if (at < 0) {
                                wake(payload);
                            } else {
                                wakeAt(payload.substring(0, at), Long.parseLong(payload.substring(at + 1)));
                            }
                        }
                    } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(settings.listenCheckSeconds())) {
                        check(connection);
                        quietSince = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                databaseSince = null;
                if (listening) {
                    listenDownSince = Instant.now();
                }
                listening = false;
                listenError = PipelineEvents.failure(e);
                if (!running) {
                    return;
                }
                PipelineEvents.event(Level.WARN, "claim.listen_failed").addKeyValue("error", PipelineEvents.failure(e))
                        .addKeyValue("retry_in_ms", backoffMillis).log();
                // without wake-ups, the poll is what finds work now
                schedulePoll(System.currentTimeMillis() + settings.pollInterval().toMillis());
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
            }
        }
        listening = false;
    }

    /** A round trip on the LISTEN connection: a dead socket fails here instead of staying silent for ever. */
    private void check(Connection connection) throws SQLException {
        CompletableFuture<Boolean> roundTrip = CompletableFuture.supplyAsync(() -> {
            try {
                return connection.isValid(CHECK_TIMEOUT_MILLIS / 1000);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, checker);
        try {
            if (!roundTrip.get(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new SQLException("the LISTEN connection failed its round trip");
            }
        } catch (TimeoutException e) {
            // no answer and no error: the network drops everything. Only closing the socket ends the wait.
            connection.abort(Runnable::run);
            throw new SQLException("the LISTEN connection did not answer a round trip within " + CHECK_TIMEOUT_MILLIS + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
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
        databaseSince = System.nanoTime();
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("glisk-claim-poll").factory());
        schedulePoll(System.currentTimeMillis() + settings.pollInterval().toMillis());
        checker = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("glisk-claim-check").factory());
        listener = Thread.ofPlatform().daemon().name("glisk-claim-listen").start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        scheduler.shutdownNow();
        checker.shutdownNow();
        listener.interrupt();
        // the listener's connection must be back in the pool before the pool closes, or closing waits for it: an
        // empty notification ends its wait on the socket at once (an empty payload names no queue, so every
        // listener of every instance ignores it); with the database away, the wait ends by itself
        if (listening) {
            try {
                jdbc.getJdbcOperations().execute("NOTIFY " + CHANNEL);
            } catch (DataAccessException e) {
                // gone meanwhile
            }
        }
        try {
            listener.join(Duration.ofMillis(LISTEN_WAIT_MILLIS + 1_000L));
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
        // stop after Camel (which stops its consumers first) so wake-ups keep flowing while routes drain
        return Integer.MAX_VALUE - 100;
    }
}
