package io.glisk.chain;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * The scheduler of the chain's polls (the head poll of detection, the receipt tick of the reveal): polls every
 * {@code delay} while they find work, and after one that found none (the route set {@code CamelSchedulerPolledMessages}
 * to 0) waits {@code (1 + idlePolls) × delay} for the next.
 *
 * <p>Camel's own idle backoff gives the same pace, but its scheduler still wakes at every delay only to count the
 * skipped polls down: four to five wake-ups a second of an idle local service, a fifth of its idle CPU. This one
 * sleeps through them. A route uses it with {@code scheduler: "#idlePacedScheduler"} and
 * {@code scheduler.idlePolls}; each endpoint gets an instance of its own (a prototype bean). {@link ChainPolls}
 * cuts an idle wait short when the chain moved (this service moved it, or the node pushed a new block), and
 * stretches it while the node pushes its new blocks.
 */
public class IdlePacedScheduler implements ScheduledPollConsumerScheduler, PollingConsumerPollStrategy {

    private final ChainPolls chainPolls;
    private CamelContext camelContext;
    private ScheduledPollConsumer consumer;
    private Runnable task;
    private int idlePolls;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> next;
    /** The number of the poll scheduled last: a poll scheduled before it neither runs nor schedules another. */
    private long scheduled;
    private volatile boolean idle;

    public IdlePacedScheduler(ChainPolls chainPolls) {
        this.chainPolls = chainPolls;
    }

    /** Polls skipped after one that found nothing (0: every poll at the full rate). */
    public void setIdlePolls(int idlePolls) {
        if (idlePolls < 0) {
            throw new IllegalArgumentException("idlePolls must be 0 or more, was " + idlePolls);
        }
        this.idlePolls = idlePolls;
    }

    public int getIdlePolls() {
        return idlePolls;
    }

    @Override
    public void onInit(Consumer consumer) {
        if (!(consumer instanceof ScheduledPollConsumer polling)) {
            throw new IllegalArgumentException("IdlePacedScheduler schedules polling consumers only, not " + consumer);
        }
        this.consumer = polling;
        // how many messages each poll found reaches this scheduler through the poll strategy
        polling.setPollStrategy(this);
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public synchronized void startScheduler() {
        if (next == null && executor != null) {
            schedule(consumer.getInitialDelay());
        }
    }

    @Override
    public synchronized boolean isSchedulerStarted() {
        return next != null;
    }

    @Override
    public synchronized void unscheduleTask() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    @Override
    public synchronized void start() {
        if (executor == null) {
            executor = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                    consumer.getEndpoint().getEndpointKey());
        }
        chainPolls.add(this);
    }

    @Override
    public synchronized void stop() {
        chainPolls.remove(this);
        unscheduleTask();
        if (executor != null) {
            camelContext.getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
    }

    @Override
    public void shutdown() {
        stop();
    }

    private void run(long poll) {
        synchronized (this) {
            if (poll != scheduled) {
                return;
            }
        }
        try {
            task.run();
        } finally {
            synchronized (this) {
                // unless stopped, unscheduled or polled early meanwhile
                if (poll == scheduled && next != null && executor != null) {
                    schedule(idle ? idleWait() : consumer.getDelay());
                }
            }
        }
    }

    /** {@code (1 + idlePolls) × delay}, or {@link ChainPolls#PUSHED_IDLE_WAIT} if longer while the node pushes its heads. */
    private long idleWait() {
        long wait = consumer.getDelay() * (1L + idlePolls);
        return chainPolls.headsPushed() ? Math.max(wait, consumer.getTimeUnit().convert(ChainPolls.PUSHED_IDLE_WAIT)) : wait;
    }

    /** After a poll that found nothing, the next runs now instead of after the idle wait. */
    synchronized void pollNowIfIdle() {
        if (idle && next != null && executor != null) {
            next.cancel(false);
            schedule(0);
        }
    }

    private void schedule(long delay) {
        long poll = ++scheduled;
        next = executor.schedule(() -> run(poll), delay, consumer.getTimeUnit());
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        idle = polledMessages == 0;
    }

    /** A failed poll is not an idle one: the next comes at the full rate (and is not retried at once). */
    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        idle = false;
        return false;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public String toString() {
        return "IdlePacedScheduler[idlePolls=" + idlePolls + "]";
    }
}
