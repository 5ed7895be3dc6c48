package io.glisk.claim;

import io.glisk.provider.ProviderCircuits;
import io.glisk.events.PipelineEvents;
import io.glisk.provider.ProviderAnswers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.event.Level;

/**
 * Keeps up to {@code concurrency} rows of one stage in flight. Claims run one at a time and take as many
 * rows as there are free slots, and when idle a single new row is claimed the moment its wake-up arrives. Behind
 * a backlog (the last claim was full) of fast work (the last row took under twenty gather waits), a claim that
 * would fill fewer than half the slots waits until half are free, the endpoint's gather wait at the most: slots
 * then free one after another, and claiming each alone cost a statement per row or two, while the CPU, not the
 * slots, is the limit.
 * Slow work (a provider's latency) is never kept waiting. With a claim interval, a caught-up queue (the last claim
 * was not full) is claimed at most once an interval: rows that trickle in, each with its wake-up, are claimed
 * together rather than one statement each. A slot stays taken while its exchange waits for a delayed redelivery,
 * so retries never raise the number of rows in flight.
 *
 * <p>Each claimed row's lease is held (renewed) while its work runs and ended when it completes. Being
 * {@link Suspendable}, the consumer only stops claiming when its route is stopped or reloaded: Camel then lets
 * the work in flight finish (and an aggregator send what it gathered) before {@link #doStop()} hands back
 * whatever this consumer still holds, so nothing stays leased to a route that is gone.
 */
final class ClaimConsumer extends DefaultConsumer implements Suspendable {

    private final ClaimEndpoint endpoint;
    private final Claims claims;
    private final HeldLeases leases;
    private final QueueWakeups wakeups;
    private final ProviderCircuits circuits;
    private final Semaphore slots;
    /** How long a claim behind a backlog waits for half the slots to be free, at the most. */
    private final long gatherNanos;
    /** Work this fast loses nothing to a slot kept free for the gather wait: at most 5 % of a slot. */
    private final long fastWorkNanos;
    /** There may be claimable rows we have not asked for yet. */
    private final AtomicBoolean pending = new AtomicBoolean(true);
    private final AtomicBoolean claiming = new AtomicBoolean();
    /** The last claim took as many rows as it asked for: more are probably waiting. */
    private volatile boolean backlog;
    /** When the last claim ran (System.nanoTime; claims run on the claimer thread only). */
    private long lastClaimNanos;
    /** How long the last row to finish was in flight. */
    private volatile long lastWorkNanos = Long.MAX_VALUE;
    /** A claim gathering slots is scheduled: it runs when half the slots are free, or when its wait is over. */
    private final AtomicBoolean gatherDue = new AtomicBoolean();
    /** Runs the gathered claim once, whichever comes first: half the slots free or the end of its wait. */
    private final Runnable claimGathered = () -> {
        if (gatherDue.compareAndSet(true, false)) {
            claimWhileWorkWaits(true);
        }
    };
    /** A wake-up is scheduled for when the stage's providers may be called again. */
    private final AtomicBoolean waitingForProvider = new AtomicBoolean();
    private final Runnable waker = this::wake;
    private ScheduledExecutorService claimer;
    private ExecutorService workers;

    ClaimConsumer(ClaimEndpoint endpoint, Processor processor, Claims claims, HeldLeases leases, QueueWakeups wakeups,
                  ProviderCircuits circuits) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.claims = claims;
        this.leases = leases;
        this.wakeups = wakeups;
        this.circuits = circuits;
        this.slots = new Semaphore(endpoint.getConcurrency());
        this.gatherNanos = TimeUnit.MICROSECONDS.toNanos(endpoint.getGatherMicros());
        this.fastWorkNanos = 20 * gatherNanos;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        claimer = executors.newSingleThreadScheduledExecutor(this, "claim-" + endpoint.getStage());
        workers = executors.newFixedThreadPool(this, endpoint.getStage(), endpoint.getConcurrency());
        lastClaimNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(endpoint.getClaimIntervalMillis());
        wakeups.register(endpoint.getQueue(), endpoint.getProbeSql(),
                Duration.ofSeconds(endpoint.getProbeIntervalSeconds()), waker);
        PipelineEvents.event(Level.INFO, "worker.started").addKeyValue("stage", endpoint.getStage())
                .addKeyValue("queue", endpoint.getQueue()).addKeyValue("batch_size", endpoint.getConcurrency())
                .addKeyValue("lease_owner", claims.owner()).log();
        gatherDue.set(false); // a gathered claim the last stop cancelled
        wake();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        wake();
    }

    @Override
    protected void doStop() throws Exception {
        wakeups.unregister(endpoint.getQueue(), waker);
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        executors.shutdownGraceful(claimer);
        executors.shutdownGraceful(workers);
        handBack();
        PipelineEvents.event(Level.INFO, "worker.stopped").addKeyValue("stage", endpoint.getStage()).log();
        super.doStop();
    }

    /** Whatever this consumer still holds goes back to its queue now, not when its lease runs out. */
    private void handBack() {
        Set<UUID> held = leases.heldBy(this);
        if (held.isEmpty()) {
            return;
        }
        // Camel interrupts the stopping thread when its grace period ends: the hand-back must still reach the database
        boolean interrupted = Thread.interrupted();
        try {
            int released = claims.release(endpoint.getReleaseSql(), endpoint.getStage(), held, null, 0);
            PipelineEvents.event(Level.INFO, "claim.handed_back").addKeyValue("stage", endpoint.getStage())
                    .addKeyValue("tokens", released).log();
        } catch (RuntimeException e) {
            // the leases are no longer renewed: they expire and the rows come back then
            PipelineEvents.event(Level.WARN, "claim.hand_back_failed").addKeyValue("stage", endpoint.getStage())
                    .addKeyValue("error", PipelineEvents.failure(e)).log();
        } finally {
            held.forEach(leases::end);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Something may have arrived in our queue. Cheap and safe to call from any thread, any number of times. */
    void wake() {
        pending.set(true);
        scheduleClaim();
    }

    private void scheduleClaim() {
        if (isRunAllowed() && !isSuspendingOrSuspended() && pending.get() && slots.availablePermits() > 0
                && claiming.compareAndSet(false, true)) {
            try {
                claimer.execute(() -> claimWhileWorkWaits(false));
            } catch (RejectedExecutionException e) {
                // the route stopped between the check and here: a claim flag left set would keep the restarted
                // route from ever claiming again (its start wakes it)
                claiming.set(false);
            }
        }
    }

    /** Claims while rows wait and slots are free; {@code gathered}: this run already waited for slots once. */
    private void claimWhileWorkWaits(boolean gathered) {
        boolean gathering = false;
        try {
            int free;
            while (isRunAllowed() && !isSuspendingOrSuspended() && pending.get() && (free = slots.availablePermits()) > 0) {
                if (providerUnavailable()) {
                    break;
                }
                if (!gathered && backlog && lastWorkNanos < fastWorkNanos && free < endpoint.getConcurrency() / 2) {
                    // the claiming flag stays set: wake-ups in the meantime join the gathered claim
                    gatherDue.set(true);
                    gathering = claimLater(claimGathered, gatherNanos);
                    break;
                }
                long early = TimeUnit.MILLISECONDS.toNanos(endpoint.getClaimIntervalMillis())
                        - (System.nanoTime() - lastClaimNanos);
                if (!backlog && early > 0) {
                    gathering = claimLater(() -> claimWhileWorkWaits(true), early);
                    break;
                }
                gathered = false;
                pending.set(false);
                lastClaimNanos = System.nanoTime();
                List<Map<String, Object>> rows = claims.claim(endpoint.getSql(), free);
                backlog = rows.size() == free;
                if (backlog) {
                    pending.set(true);
                }
                for (Map<String, Object> row : rows) {
                    slots.acquireUninterruptibly();
                    dispatch(row);
                }
            }
        } catch (RuntimeException e) {
            // the database is away or the statement failed: the fallback poll will wake us again
            pending.set(false);
            backlog = false;
            PipelineEvents.event(Level.WARN, "claim.failed").addKeyValue("stage", endpoint.getStage())
                    .addKeyValue("error", PipelineEvents.failure(e)).log();
        } finally {
            if (!gathering) {
                claiming.set(false);
            }
        }
        scheduleClaim(); // a wake-up that raced with the end of the loop
    }

    /** Runs {@code claim} in {@code nanos}; answers false when the route stopped meanwhile (its start wakes it again). */
    private boolean claimLater(Runnable claim, long nanos) {
        try {
            claimer.schedule(claim, nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void runGatheredNow() {
        try {
            claimer.execute(claimGathered);
        } catch (RejectedExecutionException e) {
            // the route stopped: its start wakes it again
        }
    }

    /**
     * While a provider the stage calls is down for everyone (or throttling), claiming would only hand work to a
     * call that is refused: the stage stops claiming and looks again when the provider may take calls.
     */
    private boolean providerUnavailable() {
        Optional<Duration> wait = circuits.unavailableFor(endpoint.providerList());
        if (wait.isEmpty()) {
            return false;
        }
        if (waitingForProvider.compareAndSet(false, true)) {
            PipelineEvents.event(Level.INFO, "claim.waiting_for_provider").addKeyValue("stage", endpoint.getStage())
                    .addKeyValue("wait_ms", wait.get().toMillis()).log();
            claimer.schedule(() -> {
                waitingForProvider.set(false);
                wake();
            }, wait.get().toMillis() + 1, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private void dispatch(Map<String, Object> row) {
        UUID leaseId = (UUID) row.get("lease_id");
        leases.hold(leaseId, endpoint.getRenewSql(), this);
        Exchange exchange = createExchange(false);
        row.forEach(exchange::setVariable);
        // attempts keeps counting the retries; what the claim found is what an outage gives back to
        exchange.setVariable("attempts_at_claim", row.get("attempts"));
        exchange.setVariable("stage", endpoint.getStage());
        exchange.setVariable("lease_owner", claims.owner());
        long dispatched = System.nanoTime();
        exchange.setVariable("claimed_at", dispatched);
        exchange.getMessage().setBody(row);
        workers.execute(() -> getAsyncProcessor().process(exchange, doneSync -> {
            lastWorkNanos = System.nanoTime() - dispatched;
            finish(exchange, row, leaseId);
        }));
    }

    private void finish(Exchange exchange, Map<String, Object> row, UUID leaseId) {
        try {
            Exception failure = exchange.getException();
            if (failure != null) {
                // the route's own error handling should have decided the row's fate; if it could not, let go of it
                // with the reason (its attempt stays counted) rather than leave it held until the lease expires
                String error = "Unexpected failure: " + ProviderAnswers.shorten(PipelineEvents.failure(failure));
                PipelineEvents.event(Level.ERROR, "claim.unhandled_failure").addKeyValue("stage", endpoint.getStage())
                        .addKeyValue("token_id", row.get("token_id")).addKeyValue("error", error)
                        .setCause(failure).log();
                claims.release(endpoint.getReleaseSql(), endpoint.getStage(), List.of(leaseId), error,
                        endpoint.getReleaseDelaySeconds());
            }
        } catch (RuntimeException e) {
            // not renewed any more: the lease expires and the row comes back then
            PipelineEvents.event(Level.ERROR, "claim.release_failed").addKeyValue("token_id", row.get("token_id"))
                    .addKeyValue("error", PipelineEvents.failure(e)).log();
        } finally {
            if (!endpoint.isHoldLeases() || exchange.getException() != null) {
                leases.end(leaseId);
            }
            releaseExchange(exchange, false);
            slots.release();
            if (gatherDue.get() && slots.availablePermits() >= endpoint.getConcurrency() / 2) {
                runGatheredNow();
            }
            scheduleClaim();
        }
    }
}
