package io.glisk.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pace of the chain's polls: the full rate while they find work, (1 + idlePolls) delays after one that found
 * none, and back to the full rate from the first that finds work again; polls run on a thread named for the endpoint.
 * A chain this service moved itself cuts an idle wait short, once.
 */
class IdlePacedSchedulerTest {

    private static final long DELAY = 40;
    private static final int IDLE_POLLS = 4;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final List<Long> polls = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    /** Whether each poll found work. */
    private final List<Boolean> found = new CopyOnWriteArrayList<>();
    private final AtomicBoolean busy = new AtomicBoolean(true);
    private final ChainPolls chainPolls = new ChainPolls();
    private final IdlePacedScheduler scheduler = new IdlePacedScheduler(chainPolls);

    @BeforeEach
    void start() throws Exception {
        camel.getRegistry().bind("paced", scheduler);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("scheduler:chain-poll?delay=" + DELAY + "&initialDelay=0&scheduler=#paced&scheduler.idlePolls="
                        + IDLE_POLLS).routeId("poll").process(exchange -> {
                            boolean work = busy.get();
                            polls.add(System.nanoTime());
                            threads.add(Thread.currentThread().getName());
                            found.add(work);
                            exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, work);
                        });
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void pollsAtTheFullRateWhileBusyAndSleepsThroughTheIdlePollsOtherwise() throws Exception {
        await(() -> polls.size() >= 10);
        busy.set(false);
        int idleFrom = polls.size();
        await(() -> polls.size() >= idleFrom + 5);
        busy.set(true);
        int busyFrom = polls.size();
        await(() -> polls.size() >= busyFrom + 10);

        List<Long> gaps = gapsMillis();
        // busy: one delay apart (a loaded machine may stretch a few, never all)
        assertThat(median(gaps.subList(0, 8))).isBetween(DELAY - 2, DELAY * 3);
        // after an idle poll: five delays to the next, and no poll in between
        for (long gap : gaps.subList(idleFrom, busyFrom - 1)) {
            assertThat(gap).isGreaterThanOrEqualTo(DELAY * (1 + IDLE_POLLS) - 2);
        }
        // the first poll that finds work brings the full rate back
        assertThat(median(gaps.subList(busyFrom + 1, busyFrom + 9))).isBetween(DELAY - 2, DELAY * 3);
        assertThat(threads).allSatisfy(name -> assertThat(name).contains("scheduler://chain-poll"));
    }

    @Test
    void anIdlePollsCountOfZeroKeepsTheFullRate() throws Exception {
        scheduler.setIdlePolls(0);
        busy.set(false);
        int from = polls.size();
        await(() -> polls.size() >= from + 10);
        assertThat(median(gapsMillis().subList(from + 1, from + 9))).isBetween(DELAY - 2, DELAY * 3);
    }

    @Test
    void aChainMovedByThisServiceEndsTheIdleWaitWithOnePollAndThePaceGoesOn() throws Exception {
        scheduler.setIdlePolls(500);
        busy.set(false);
        // an idle poll came: the next is 20 s away
        await(() -> !found.isEmpty() && !found.get(found.size() - 1));
        int idle = polls.size();
        Thread.sleep(DELAY * 5);
        assertThat(polls).hasSize(idle);

        long moved = System.nanoTime();
        chainPolls.chainMoved();
        await(() -> polls.size() > idle);
        assertThat(TimeUnit.NANOSECONDS.toMillis(polls.get(idle) - moved)).isLessThan(2_000);
        // that poll found nothing either: the idle wait again, not the full rate
        Thread.sleep(DELAY * 10);
        assertThat(polls).hasSize(idle + 1);
    }

    @Test
    void aStoppedRoutePollsNoMoreAndARestartedOnePollsAgain() throws Exception {
        await(() -> polls.size() >= 3);
        camel.getRouteController().stopRoute("poll");
        int stoppedAt = polls.size();
        Thread.sleep(DELAY * 5);
        assertThat(polls).hasSize(stoppedAt);
        camel.getRouteController().startRoute("poll");
        await(() -> polls.size() >= stoppedAt + 3);
    }

    private List<Long> gapsMillis() {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < polls.size(); i++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(polls.get(i) - polls.get(i - 1)));
        }
        return gaps;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
