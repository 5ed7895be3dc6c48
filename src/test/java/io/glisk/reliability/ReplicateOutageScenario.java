package io.glisk.reliability;

import java.time.Duration;

/**
 * Replicate down for everyone (every create answers 503) while tokens keep arriving: its circuit opens, generation
 * stops claiming and probes, resumes when Replicate is back — and the tokens that arrived during the outage spend
 * no attempt and none of them fails.
 */
final class ReplicateOutageScenario implements Scenario {

    @Override
    public String name() {
        return "replicate-outage";
    }

    @Override
    public String shows() {
        return "Replicate answers 503 to everyone while tokens keep arriving: all revealed, none failed, 0 attempts "
                + "burned by the tokens that arrived during the outage, the replicate circuit's transitions logged";
    }

    @Override
    public void run(Lab lab, Size size, Outcome outcome) throws Exception {
        int down = size.replicateDownSeconds();
        int third = size.outageTokens() / 3;
        try (Run run = Run.open(lab, name(), Providers.Faults.NONE, 300, 2, size.outageTokens())) {
            run.mint(third);
            Thread.sleep(3000);
            run.providers().replicateOutage(down);
            long outageStart = System.currentTimeMillis();
            System.out.printf("  Replicate down at %.1f s%n", run.sinceFirstMint());
            int firstDuring = run.minted() + 1;
            run.mintOver(third, Duration.ofSeconds(down * 2L / 3)).join();
            int lastDuring = run.minted();
            Thread.sleep(Math.max(0, outageStart + down * 1000L - System.currentTimeMillis()));
            System.out.printf("  Replicate back at %.1f s%n", run.sinceFirstMint());
            run.mint(size.outageTokens() - run.minted());
            Scenario.settle(run, outcome);
            Audit audit = Audit.of(run, outcome);
            outcome.check("all revealed, none failed", audit.count("revealed") == run.minted(),
                    audit.count("revealed") + " of " + run.minted() + " revealed, " + audit.count("failed") + " failed");
            outcome.figure("tokens_arrived_during_outage", lastDuring - firstDuring + 1);
            Scenario.noAttemptBurned(run, outcome, "the tokens that arrived during the outage",
                    id -> id >= firstDuring && id <= lastDuring);
            outcome.phase("all tokens");
            Scenario.noAttemptBurned(run, outcome, "every token, those in flight when it began included", id -> true);
            outcome.phase(null);
            Scenario.circuitOpenedAndClosed(run, outcome, "replicate");
            outcome.figure("headline", down + " s of 503 from Replicate: " + audit.count("revealed") + " of "
                    + run.minted() + " revealed, " + audit.count("failed") + " failed, attempts burned by the "
                    + (lastDuring - firstDuring + 1) + " tokens that arrived during it: none");
        }
    }
}
