package io.glisk.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.support.TestCircuits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behind a backlog of fast work, slots free one by one and a claim for each alone would cost a statement per row:
 * the claim waits until half the slots are free, the gather wait at the most, and takes them together.
 */
class ClaimGatherTest {

    private static final int SLOTS = 10;
    private static final ClaimSettings SETTINGS = new ClaimSettings(SLOTS, 1, 30, 30, "gather-test", 10);

    /** The limit of every claim the consumer ran, in order. */
    private final List<Integer> claims = new CopyOnWriteArrayList<>();
    /** One latch per row in flight, in claim order: counting one down lets that row's work end. */
    private final BlockingQueue<CountDownLatch> inFlight = new LinkedBlockingQueue<>();
    /** The test is over: work no longer waits to be let go. */
    private volatile boolean ending;
    private final DefaultCamelContext camel = new DefaultCamelContext();

    /** A queue that never runs dry, so every claim is full and the stage stays behind a backlog. */
    private final Claims backlog = new Claims(null, SETTINGS, null) {
        @Override
        List<Map<String, Object>> claim(String claimSql, int limit) {
            claims.add(limit);
            return IntStream.range(0, limit).mapToObj(i -> Map.<String, Object>of("lease_id", UUID.randomUUID(),
                    "token_id", (long) i, "attempts", 0)).toList();
        }
    };

    @AfterEach
    void stop() {
        ending = true;
        inFlight.forEach(CountDownLatch::countDown);
        camel.stop();
    }

    private void start(long gatherMicros) throws Exception {
        camel.addComponent("claim", new ClaimComponent(backlog, new HeldLeases(null, null, SETTINGS),
                new QueueWakeups(null, null, null, SETTINGS), TestCircuits.neverOpen()));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("claim:test?sql=claim.sql&queue=test&concurrency=" + SLOTS + "&gatherMicros=" + gatherMicros)
                        .process(exchange -> {
                            CountDownLatch done = new CountDownLatch(1);
                            inFlight.add(done);
                            if (!ending) {
                                done.await();
                            }
                        });
            }
        });
        camel.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.size() == SLOTS);
        assertThat(claims).containsExactly(SLOTS);
    }

    /** Lets the {@code count} rows claimed first end their work. */
    private void finish(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            inFlight.take().countDown();
        }
    }

    @Test
    void slotsFreeingOneByOneAreClaimedTogetherOnceHalfAreFree() throws Exception {
        // a wait longer than the steps below: only half the slots being free can end it in time
        start(TimeUnit.SECONDS.toMicros(4));

        finish(4);
        Thread.sleep(300);
        assertThat(claims).as("four of ten slots free: the claim keeps gathering").containsExactly(SLOTS);

        finish(1);
        await().atMost(Duration.ofMillis(1500)).until(() -> claims.size() == 2);
        assertThat(claims).containsExactly(SLOTS, SLOTS / 2);
        await().atMost(Duration.ofSeconds(2)).until(() -> inFlight.size() == SLOTS);
    }

    @Test
    void aGatherThatHalfTheSlotsDoNotEndTakesWhatIsFreeWhenItsWaitIsOver() throws Exception {
        start(TimeUnit.MILLISECONDS.toMicros(400));

        long freed = System.nanoTime();
        finish(2);
        await().atMost(Duration.ofSeconds(3)).until(() -> claims.size() == 2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - freed)).isGreaterThanOrEqualTo(400);
        assertThat(claims).containsExactly(SLOTS, 2);
    }
}
