package io.glisk.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Two instances, one of them killed with SIGKILL at random moments while tokens keep arriving, and started again
 * each time: every token is revealed, none twice, and the provider calls made again are bounded by what the killed
 * instances had in flight.
 */
final class KillsScenario implements Scenario {

    /** Seconds between kills: a kill lands anywhere in an instance's work. */
    private static final int MIN_GAP = 3;
    private static final int MAX_GAP = 11;

    @Override
    public String name() {
        return "kills";
    }

    @Override
    public String shows() {
        return "SIGKILL of a pipeline instance at random moments (restarted each time) while tokens arrive: all "
                + "revealed, none in two reveal transactions, calls made again bounded by kills × batch size";
    }

    @Override
    public void run(Lab lab, Size size, Outcome outcome) throws Exception {
        Random random = lab.random();
        try (Run run = Run.open(lab, name(), Providers.Faults.NONE, 300, 2, size.killTokens())) {
            // tokens keep arriving for as long as the kills go on
            CompletableFuture<Void> minting = run.mintOver(size.killTokens(),
                    Duration.ofSeconds((long) size.kills() * (MIN_GAP + MAX_GAP) / 2));
            List<Map<String, Object>> kills = new ArrayList<>();
            for (int k = 1; k <= size.kills(); k++) {
                Thread.sleep(1000L * MIN_GAP + random.nextInt(1000 * (MAX_GAP - MIN_GAP)));
                Service victim = working(run, random);
                double at = run.sinceFirstMint();
                victim.kill();
                victim.start();
                kills.add(Map.of("at_s", Math.round(at * 10) / 10.0, "instance", victim.name(), "minted", run.minted()));
                System.out.printf("  kill %d of %d: %s at %.1f s%n", k, size.kills(), victim.name(), at);
            }
            minting.join();
            for (Service instance : run.pipeline().instances()) {
                instance.awaitReady(Duration.ofSeconds(180));
            }
            Scenario.settle(run, outcome);
            Audit audit = Audit.of(run, outcome);
            outcome.figure("kills", kills.size());
            outcome.figure("kill_moments", kills);
            outcome.check("all revealed", audit.count("revealed") == run.minted(),
                    audit.count("revealed") + " of " + run.minted());
            int bound = size.kills() * Pipeline.BATCH_SIZE;
            int predictions = Audit.Calls.extra(audit.calls().predictions());
            int files = Audit.Calls.extra(audit.calls().filePins());
            int json = Audit.Calls.extra(audit.calls().jsonPins());
            outcome.check("provider calls made again ≤ kills × batch size (" + bound + ") per kind",
                    predictions <= bound && files <= bound && json <= bound,
                    "predictions " + predictions + ", image pins " + files + ", metadata pins " + json);
            outcome.figure("headline", size.kills() + " kills: " + audit.count("revealed") + " of " + run.minted()
                    + " revealed; predictions made again " + predictions + ", pins made again " + (files + json)
                    + " (bound " + bound + " each)");
        }
    }

    /**
     * An instance at work, picked at random: a kill must cut work short, and on a busy machine a restarted instance
     * can take longer to start than the gap between two kills. When none is at work yet, the first to be.
     */
    private static Service working(Run run, Random random) throws InterruptedException {
        while (true) {
            List<Service> ready = run.pipeline().instances().stream().filter(s -> s.readiness() == 200).toList();
            if (!ready.isEmpty()) {
                return ready.get(random.nextInt(ready.size()));
            }
            Thread.sleep(200);
        }
    }
}
