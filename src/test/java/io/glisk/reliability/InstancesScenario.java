package io.glisk.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One, two and three instances on one database, fault free: no work is done twice and one reveal sender goes at a
 * time, with the throughput of each instance count; then, with two and three, one instance killed mid-run: the
 * others finish its work.
 */
final class InstancesScenario implements Scenario {

    /** How long a prediction takes: the providers, not the machine, should bound the throughput. */
    private static final long PREDICTION_MILLIS = 500;

    @Override
    public String name() {
        return "instances";
    }

    @Override
    public String shows() {
        return "1, 2 and 3 instances on one database: no duplicate provider call in a fault-free run, one reveal "
                + "sender at a time, throughput per instance count; with 2 and 3, one instance killed mid-run: all "
                + "revealed, calls made again bounded by one batch";
    }

    @Override
    public void run(Lab lab, Size size, Outcome outcome) throws Exception {
        Map<String, Object> throughput = new LinkedHashMap<>();
        for (int instances = 1; instances <= 3; instances++) {
            int tokens = size.instanceTokens();
            try (Run run = Run.open(lab, name() + "-" + instances, Providers.Faults.NONE, PREDICTION_MILLIS, instances,
                    instances == 1 ? tokens : 2 * tokens)) {
                outcome.phase(instances + (instances == 1 ? " instance" : " instances") + ", fault free");
                run.mint(tokens);
                if (!Scenario.settle(run, outcome)) {
                    continue;
                }
                double seconds = run.sinceFirstMint();
                throughput.put(Integer.toString(instances), Math.round(tokens / seconds * 10) / 10.0);
                Audit audit = Audit.of(run, outcome);
                noDuplicates(outcome, audit);
                if (instances == 1) {
                    continue;
                }
                outcome.phase(instances + " instances, one killed mid-run");
                Audit.Calls before = audit.calls();
                run.mint(tokens);
                while (run.ledger().progress().settled() < tokens + tokens / 3) {
                    Thread.sleep(200);
                }
                run.pipeline().instance(instances - 1).kill();
                Scenario.settle(run, outcome);
                Audit after = Audit.of(run, outcome);
                outcome.check("all revealed", after.count("revealed") == run.minted(),
                        after.count("revealed") + " of " + run.minted());
                int predictions = Audit.Calls.extra(after.calls().predictions()) - Audit.Calls.extra(before.predictions());
                int files = Audit.Calls.extra(after.calls().filePins()) - Audit.Calls.extra(before.filePins());
                int json = Audit.Calls.extra(after.calls().jsonPins()) - Audit.Calls.extra(before.jsonPins());
                outcome.check("calls made again ≤ one batch of the killed instance (" + Pipeline.BATCH_SIZE + ") per kind",
                        predictions <= Pipeline.BATCH_SIZE && files <= Pipeline.BATCH_SIZE && json <= Pipeline.BATCH_SIZE,
                        "predictions " + predictions + ", image pins " + files + ", metadata pins " + json);
            }
        }
        outcome.phase(null);
        outcome.figure("tokens_per_s_by_instances", throughput);
        outcome.figure("headline", "no duplicate call fault free; tokens/s with 1, 2, 3 instances: " + throughput.values());
    }

    private static void noDuplicates(Outcome outcome, Audit audit) {
        int predictions = Audit.Calls.extra(audit.calls().predictions());
        int files = Audit.Calls.extra(audit.calls().filePins());
        int json = Audit.Calls.extra(audit.calls().jsonPins());
        outcome.check("all revealed", audit.count("revealed") == audit.tokens().size(),
                audit.count("revealed") + " of " + audit.tokens().size());
        outcome.check("no duplicate work: one prediction, one image pin, one metadata pin per token",
                predictions == 0 && files == 0 && json == 0 && audit.calls().fallbackPredictions() == 0,
                "made again: predictions " + predictions + ", image pins " + files + ", metadata pins " + json);
    }
}
