package io.glisk.reliability;

/**
 * Random provider faults of every kind on a fifth of the calls, two instances: every token ends revealed, or failed
 * with its reason; none stays in between.
 */
final class FaultsScenario implements Scenario {

    static final double SHARE = 0.2;

    @Override
    public String name() {
        return "faults";
    }

    @Override
    public String shows() {
        return "20 % of provider calls fail at random (Replicate: 429, 500, past the timeout, not JSON, NSFW refusal, "
                + "expired output; Pinata: 429, 500, past the timeout): every token ends revealed or failed with its "
                + "reason, none stuck";
    }

    @Override
    public void run(Lab lab, Size size, Outcome outcome) throws Exception {
        outcome.figure("faults", Providers.Faults.everyKind(SHARE).asMap());
        try (Run run = Run.open(lab, name(), Providers.Faults.everyKind(SHARE), 300, 2, size.faultTokens())) {
            run.mint(size.faultTokens());
            Scenario.settle(run, outcome);
            Audit audit = Audit.of(run, outcome);
            long revealed = audit.count("revealed");
            long failed = audit.count("failed");
            outcome.figure("headline", revealed + " revealed, " + failed + " failed with their reason, "
                    + (audit.tokens().size() - revealed - failed) + " stuck");
        }
    }
}
