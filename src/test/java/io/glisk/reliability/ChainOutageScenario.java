package io.glisk.reliability;

/**
 * The chain's node stopped mid-run and started again with its chain: detection and reveals wait for it (its circuit
 * opens, is probed, closes), tokens keep being generated and pinned meanwhile, and all are revealed once, at no
 * attempt's cost.
 */
final class ChainOutageScenario implements Scenario {

    @Override
    public String name() {
        return "chain-outage";
    }

    @Override
    public String shows() {
        return "the RPC node (anvil) stopped mid-run, then started again with its chain: all revealed once, 0 attempts "
                + "burned, the chain_rpc circuit's transitions logged";
    }

    @Override
    public void run(Lab lab, Size size, Outcome outcome) throws Exception {
        int down = size.chainDownSeconds();
        int before = size.outageTokens() / 2;
        try (Run run = Run.open(lab, name(), Providers.Faults.NONE, 300, 2, size.outageTokens())) {
            run.mint(before);
            // reveals are under way when the node goes
            while (run.ledger().revealTransactions().isEmpty()) {
                Thread.sleep(200);
            }
            run.chain().stop();
            System.out.printf("  node stopped at %.1f s%n", run.sinceFirstMint());
            Thread.sleep(down * 1000L);
            run.chain().start();
            System.out.printf("  node started again at %.1f s%n", run.sinceFirstMint());
            run.mint(size.outageTokens() - before);
            Scenario.settle(run, outcome);
            Audit audit = Audit.of(run, outcome);
            outcome.check("all revealed", audit.count("revealed") == run.minted(),
                    audit.count("revealed") + " of " + run.minted());
            Scenario.noAttemptBurned(run, outcome, "every token", id -> true);
            Scenario.circuitOpenedAndClosed(run, outcome, "chain_rpc");
            outcome.figure("headline", down + " s without the node: " + audit.count("revealed") + " of " + run.minted()
                    + " revealed, " + outcome.figure("tokens_with_attempts_burned") + " tokens with attempts burned");
        }
    }
}
