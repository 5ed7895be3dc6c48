package io.glisk.claim;

import io.glisk.ops.PipelineEvents;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.event.Level;

/**
 * Keeps up to {@code concurrency} tokens of one stage in flight. Claims run one at a time and take as many
 * tokens as there are free slots, so under load each claim naturally carries several tokens, and when idle
 * a single new token is claimed the moment its wake-up arrives. A slot stays taken while its exchange waits
 * for a delayed redelivery, so retries never raise the number of tokens in flight.
 */
final class ClaimConsumer extends DefaultConsumer {

    private final ClaimEndpoint endpoint;
    private final TokenLeases leases;
    private final QueueWakeups wakeups;
    private final Semaphore slots;
    /** There may be claimable tokens we have not asked for yet. */
    private final AtomicBoolean pending = new AtomicBoolean(true);
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final Runnable waker = this::wake;
    private ExecutorService claimer;
    private ExecutorService workers;

    ClaimConsumer(ClaimEndpoint endpoint, Processor processor, TokenLeases leases, QueueWakeups wakeups) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.leases = leases;
        this.wakeups = wakeups;
        this.slots = new Semaphore(endpoint.getConcurrency());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        claimer = executors.newSingleThreadExecutor(this, "claim-" + endpoint.getStage());
        workers = executors.newFixedThreadPool(this, endpoint.getStage(), endpoint.getConcurrency());
        wakeups.register(endpoint.getQueue(), waker);
        PipelineEvents.event(Level.INFO, "worker.started").addKeyValue("stage", endpoint.getStage())
                .addKeyValue("queue", endpoint.getQueue()).addKeyValue("batch_size", endpoint.getConcurrency())
                .addKeyValue("lease_owner", leases.owner()).log();
        wake();
    }

    @Override
    protected void doStop() throws Exception {
        wakeups.unregister(endpoint.getQueue(), waker);
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        executors.shutdownGraceful(claimer);
        executors.shutdownGraceful(workers);
        PipelineEvents.event(Level.INFO, "worker.stopped").addKeyValue("stage", endpoint.getStage()).log();
        super.doStop();
    }

    /** Something may have arrived in our queue. Cheap and safe to call from any thread, any number of times. */
    void wake() {
        pending.set(true);
        scheduleClaim();
    }

    private void scheduleClaim() {
        if (isRunAllowed() && !isSuspendingOrSuspended() && pending.get() && slots.availablePermits() > 0
                && claiming.compareAndSet(false, true)) {
            claimer.execute(this::claimWhileWorkWaits);
        }
    }

    private void claimWhileWorkWaits() {
        try {
            int free;
            while (isRunAllowed() && pending.get() && (free = slots.availablePermits()) > 0) {
                pending.set(false);
                List<Map<String, Object>> rows = leases.claim(endpoint.getSql(), free);
                if (rows.size() == free) {
                    pending.set(true); // a full claim: more is probably waiting
                }
                for (Map<String, Object> row : rows) {
                    slots.acquireUninterruptibly();
                    dispatch(row);
                }
            }
        } catch (RuntimeException e) {
            // the database is away or the statement failed: the fallback poll will wake us again
            pending.set(false);
            PipelineEvents.event(Level.WARN, "claim.failed").addKeyValue("stage", endpoint.getStage())
                    .addKeyValue("error", e.getMessage()).log();
        } finally {
            claiming.set(false);
        }
        scheduleClaim(); // a wake-up that raced with the end of the loop
    }

    private void dispatch(Map<String, Object> row) {
        Exchange exchange = createExchange(false);
        row.forEach(exchange::setVariable);
        exchange.setVariable("stage", endpoint.getStage());
        exchange.setVariable("lease_owner", leases.owner());
        exchange.setVariable("claimed_at", System.nanoTime());
        exchange.getMessage().setBody(row);
        workers.execute(() -> getAsyncProcessor().process(exchange, doneSync -> finish(exchange, row)));
    }

    private void finish(Exchange exchange, Map<String, Object> row) {
        try {
            Exception failure = exchange.getException();
            if (failure != null) {
                // the route's own error handling should have decided the token's fate; if it could not, let go
                // of the token (attempt counted) rather than leave it held until the lease expires
                PipelineEvents.event(Level.ERROR, "claim.unhandled_failure").addKeyValue("stage", endpoint.getStage())
                        .addKeyValue("token_id", row.get("token_id")).addKeyValue("error", failure.toString())
                        .setCause(failure).log();
                leases.release(row.get("token_id"), endpoint.getReleaseDelaySeconds());
            }
        } catch (RuntimeException e) {
            PipelineEvents.event(Level.ERROR, "claim.release_failed").addKeyValue("token_id", row.get("token_id"))
                    .addKeyValue("error", e.getMessage()).log();
        } finally {
            releaseExchange(exchange, false);
            slots.release();
            scheduleClaim();
        }
    }
}
