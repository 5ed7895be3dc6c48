package io.glisk.reliability;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/** One fault-injection scenario: what it shows, and how it is run and checked. */
interface Scenario {

    /** How long a scenario's tokens may take to settle once everything is back, at most. */
    Duration SETTLE = Duration.ofMinutes(10);

    String name();

    /** What the scenario shows, in a sentence (for the report). */
    String shows();

    void run(Lab lab, Size size, Outcome outcome) throws Exception;

    /** Waits for every token to settle; checks it did and notes how long the tokens took from their first mint. */
    static boolean settle(Run run, Outcome outcome) throws InterruptedException {
        boolean settled = run.awaitSettled(SETTLE);
        double seconds = run.sinceFirstMint();
        outcome.check("every token settles once the faults are over", settled,
                settled ? run.minted() + " tokens in " + Math.round(seconds) + " s" : "not within " + SETTLE.toMinutes() + " min");
        outcome.figure("seconds_first_mint_to_settled", Math.round(seconds * 10) / 10.0);
        return settled;
    }

    /**
     * Checks that the outage cost the tokens nothing: each of them (those {@code which} names) made one generation
     * attempt and one upload attempt, and no reveal of theirs was counted as failed.
     */
    static void noAttemptBurned(Run run, Outcome outcome, String tokens, LongPredicate which) {
        List<String> burned = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<Long, Ledger.Attempts> token : run.ledger().attempts().entrySet()) {
            if (!which.test(token.getKey())) {
                continue;
            }
            checked++;
            Ledger.Attempts a = token.getValue();
            if (a.generation() != 1 || a.upload() != 1 || a.reveal() != 0) {
                burned.add(token.getKey() + " (generation " + a.generation() + ", upload " + a.upload() + ", reveal "
                        + a.reveal() + ")");
            }
        }
        outcome.check("0 attempts burned: " + tokens + " made exactly one attempt per stage", burned.isEmpty(),
                burned.isEmpty() ? checked + " tokens" : burned.size() + " of " + checked + " spent more: " + Audit.first(burned));
        outcome.figure("tokens_with_attempts_burned", burned.size());
    }

    /** The circuit transitions of a provider the instances logged, in order per instance. */
    static List<String> circuitTransitions(Run run, String provider) throws IOException {
        List<String> transitions = new ArrayList<>();
        for (Service instance : run.pipeline().instances()) {
            for (String line : instance.logLines("provider.circuit_")) {
                if (line.contains("provider=\"" + provider + "\"")) {
                    String event = line.substring(line.indexOf("provider.circuit_")).split("\\s")[0];
                    transitions.add(instance.name() + " " + line.substring(0, Math.min(23, line.length())) + " " + event);
                }
            }
        }
        return transitions;
    }

    /** Checks that the provider's circuit opened during the outage and closed again after it, and logged both. */
    static void circuitOpenedAndClosed(Run run, Outcome outcome, String provider) throws IOException {
        List<String> transitions = circuitTransitions(run, provider);
        boolean opened = transitions.stream().anyMatch(t -> t.endsWith("circuit_opened"));
        boolean closed = transitions.stream().anyMatch(t -> t.endsWith("circuit_closed"));
        outcome.check("circuit transitions of " + provider + " logged: opened, then probed and closed", opened && closed,
                transitions.size() + " transitions: " + Audit.first(transitions));
        outcome.figure("circuit_transitions", transitions);
    }
}
