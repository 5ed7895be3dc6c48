package io.glisk.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * PostgreSQL stopped mid-run — every connection of every instance cut, nothing answering — then started again:
 * readiness says DOWN while it is away and UP after, every stage and the LISTEN connection come back by themselves,
 * and the tokens in flight lose nothing, not even an attempt.
 */
final class PostgresOutageScenario implements Scenario {

    /** A probe taken this soon after the stop may still have been answered from before it. */
    private static final long NOTICE_MILLIS = 3000;

    @Override
    public String name() {
        return "postgres-outage";
    }

    @Override
    public String shows() {
        return "PostgreSQL stopped mid-run, then started again: readiness DOWN while it is away and UP after, stages "
                + "and LISTEN resume by themselves, no token stranded, no transaction lost, 0 attempts burned";
    }

    @Override
    public void run(Lab lab, Size size, Outcome outcome) throws Exception {
        int down = size.postgresDownSeconds();
        try (Run run = Run.open(lab, name(), Providers.Faults.NONE, 300, 2, size.outageTokens())) {
            // tokens arrive before, during and after the outage
            int burst = 2 * Pipeline.BATCH_SIZE * run.pipeline().instances().size();
            CompletableFuture<Void> minting = run.mintOver(size.outageTokens() - burst, Duration.ofSeconds(down + 30));
            Thread.sleep(9_000);
            // a burst just before the stop: every stage has work in flight when the database goes
            run.mint(burst);
            Thread.sleep(1_000);
            lab.postgres().stop();
            long stopped = System.currentTimeMillis();
            System.out.printf("  PostgreSQL stopped at %.1f s%n", run.sinceFirstMint());
            Map<String, Integer> whileAway = new TreeMap<>();
            List<String> upWhileAway = new ArrayList<>();
            while (System.currentTimeMillis() - stopped < down * 1000L) {
                for (Service instance : run.pipeline().instances()) {
                    int status = instance.readiness();
                    if (System.currentTimeMillis() - stopped >= NOTICE_MILLIS) {
                        whileAway.merge(Integer.toString(status), 1, Integer::sum);
                        if (status != 503) {
                            upWhileAway.add(instance.name() + " answered " + status + " at "
                                    + (System.currentTimeMillis() - stopped) / 1000 + " s");
                        }
                    }
                }
                Thread.sleep(500);
            }
            lab.postgres().start();
            long started = System.currentTimeMillis();
            System.out.printf("  PostgreSQL started again at %.1f s%n", run.sinceFirstMint());
            outcome.figure("readiness_while_away", whileAway);
            outcome.check("readiness DOWN (503) while the database is away", upWhileAway.isEmpty() && !whileAway.isEmpty(),
                    upWhileAway.isEmpty() ? "probes answered " + whileAway : Audit.first(upWhileAway));
            Map<String, Object> backAfter = new TreeMap<>();
            for (Service instance : run.pipeline().instances()) {
                while (instance.readiness() != 200 && System.currentTimeMillis() - started < 60_000) {
                    Thread.sleep(200);
                }
                backAfter.put(instance.name(), instance.readiness() == 200
                        ? Math.round((System.currentTimeMillis() - started) / 100.0) / 10.0 : "not within 60 s");
            }
            outcome.figure("readiness_up_after_s", backAfter);
            outcome.check("readiness UP again after the database is back",
                    backAfter.values().stream().allMatch(v -> v instanceof Double), backAfter);
            Map<String, Object> listening = new TreeMap<>();
            for (Service instance : run.pipeline().instances()) {
                listening.put(instance.name(), awaitListening(run, instance, started));
            }
            outcome.figure("listening_again_after_s", listening);
            outcome.check("the LISTEN connection of every instance is back by itself",
                    listening.values().stream().allMatch(v -> v instanceof Double), listening);
            minting.join();
            Scenario.settle(run, outcome);
            Audit audit = Audit.of(run, outcome);
            outcome.check("all revealed", audit.count("revealed") == run.minted(),
                    audit.count("revealed") + " of " + run.minted());
            Scenario.noAttemptBurned(run, outcome, "every token", id -> true);
            outcome.figure("headline", down + " s without PostgreSQL: readiness " + whileAway.keySet() + " while away, "
                    + audit.count("revealed") + " of " + run.minted() + " revealed, "
                    + outcome.figure("tokens_with_attempts_burned") + " tokens with attempts burned");
        }
    }

    /** Seconds after the restart until the instance's claims health says it listens again, or why not. */
    private static Object awaitListening(Run run, Service instance, long started) throws Exception {
        while (System.currentTimeMillis() - started < 90_000) {
            var health = instance.get("/actuator/health/claims", Pipeline.ADMIN_USER, run.pipeline().adminPassword());
            if (health.statusCode() == 200 && health.body().contains("\"listening\":true")) {
                return Math.round((System.currentTimeMillis() - started) / 100.0) / 10.0;
            }
            Thread.sleep(500);
        }
        return "not within 90 s";
    }
}
