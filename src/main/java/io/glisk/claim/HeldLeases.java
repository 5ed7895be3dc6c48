package io.glisk.claim;

import io.glisk.events.PipelineEvents;
import io.glisk.sql.SqlResources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.event.Level;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/**
 * The leases this process is working under, and only those: a lease is held from its claim until the work on
 * it ends (its exchange completes, or — for rows a route keeps after the exchange, such as a reveal batch being
 * gathered — the route ends it with {@code claimLeases.end(rows)}), or its consumer stops. Only held leases are
 * renewed, by id, so work that was dropped, failed to be released, or belonged to an earlier process with the
 * same instance name is never kept alive. A lease the database no longer knows as ours (expired and taken back)
 * is forgotten, and reported lost, at the second renewal that finds it gone: at the first, the work under it has
 * usually just finished its row and is ending (under load, a renewal found ten such leases at once). Nothing
 * held, nothing queried.
 */
@Component("claimLeases")
public class HeldLeases implements SmartLifecycle {

    /** Who holds a lease, which statement renews it, and whether the last renewal found it gone. */
    record Held(String renewSql, Object holder, boolean missed) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final ClaimSettings settings;
    private final Map<UUID, Held> held = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService renewer;

    HeldLeases(NamedParameterJdbcTemplate jdbc, SqlResources sql, ClaimSettings settings) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.settings = settings;
    }

    void hold(UUID leaseId, String renewSql, Object holder) {
        held.put(leaseId, new Held(renewSql, holder, false));
    }

    void end(UUID leaseId) {
        held.remove(leaseId);
    }

    /** Ends the leases of claimed rows the route kept after their exchanges (each row carries its lease_id). */
    public void end(List<Map<String, Object>> rows) {
        if (rows != null) {
            rows.forEach(row -> {
                if (row.get("lease_id") instanceof UUID id) {
                    held.remove(id);
                }
            });
        }
    }

    Set<UUID> heldBy(Object holder) {
        Set<UUID> ids = new HashSet<>();
        held.forEach((id, h) -> {
            if (h.holder() == holder) {
                ids.add(id);
            }
        });
        return ids;
    }

    public boolean isHeld(UUID leaseId) {
        return held.containsKey(leaseId);
    }

    public int count() {
        return held.size();
    }

    void renew() {
        Map<String, List<UUID>> byStatement = held.entrySet().stream().collect(Collectors.groupingBy(
                e -> e.getValue().renewSql(), Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        for (Map.Entry<String, List<UUID>> group : byStatement.entrySet()) {
            try {
                Set<UUID> renewed = new HashSet<>(jdbc.queryForList(sql.load(group.getKey()), new MapSqlParameterSource()
                        .addValue("leaseIds", new SqlArrayValue("uuid", group.getValue().toArray()))
                        .addValue("leaseSeconds", settings.leaseSeconds()), UUID.class));
                List<UUID> lost = new ArrayList<>();
                for (UUID id : group.getValue()) {
                    if (!renewed.contains(id)) {
                        // atomic per lease: one that ended meanwhile is neither marked nor reported
                        held.computeIfPresent(id, (key, h) -> {
                            if (!h.missed()) {
                                return new Held(h.renewSql(), h.holder(), true);
                            }
                            lost.add(key);
                            return null;
                        });
                    }
                }
                if (!lost.isEmpty()) {
                    // expired while we could not renew it (database away, process paused): the work still running
                    // under it will find, at its next guarded write, that the row is no longer its own
                    PipelineEvents.event(Level.WARN, "claim.lease_lost").addKeyValue("leases", lost.size()).log();
                }
            } catch (RuntimeException e) {
                PipelineEvents.event(Level.WARN, "claim.renew_failed").addKeyValue("error", PipelineEvents.failure(e)).log();
            }
        }
    }

    @Override
    public void start() {
        renewer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("glisk-lease-renew").factory());
        long every = settings.renewalInterval().toMillis();
        renewer.scheduleWithFixedDelay(() -> {
            if (!held.isEmpty()) {
                renew();
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        renewer.shutdownNow();
        renewer = null;
    }

    @Override
    public boolean isRunning() {
        return renewer != null;
    }

    @Override
    public int getPhase() {
        // stop after Camel (which drains its routes first) so leases stay alive while work finishes
        return Integer.MAX_VALUE - 100;
    }
}
