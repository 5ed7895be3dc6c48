package io.glisk.reliability;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fault-injection suite: drives the whole pipeline — the jar as its operators run it, real PostgreSQL, anvil,
 * and the providers' simulators in a process of their own — through provider faults, kills, several instances
 * and outages, checks the end state token by token, and writes the figures. Run it with {@code reliability/run}
 * (full size) or {@code reliability/run --ci} (reduced size); {@code --only name,…} picks scenarios,
 * {@code --seed n} repeats a run's random choices.
 */
public final class ReliabilitySuite {

    static final List<Scenario> SCENARIOS = List.of(new FaultsScenario(), new KillsScenario(), new InstancesScenario(),
            new PostgresOutageScenario(), new ChainOutageScenario(), new ReplicateOutageScenario(), new AvatarScenario());

    private ReliabilitySuite() {
    }

    public static void main(String[] args) throws Exception {
        Size size = Size.FULL;
        List<String> only = List.of();
        long seed = System.currentTimeMillis();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ci" -> size = Size.CI;
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (reliability/run [--ci] [--only scenario,…] [--seed n])");
            }
        }
        List<String> names = SCENARIOS.stream().map(Scenario::name).toList();
        for (String name : only) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("no scenario " + name + "; there are " + names);
            }
        }
        Path project = Path.of("").toAbsolutePath();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path dir = project.resolve("target/reliability/" + size.name() + "-" + stamp);
        Report report = new Report(project, size, seed, only);
        long start = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        System.out.printf("reliability suite, %s size, seed %d, logs in %s%n", size.name(), seed, dir);
        try (Lab lab = Lab.open(project, dir, seed)) {
            for (Scenario scenario : SCENARIOS) {
                if (!only.isEmpty() && !only.contains(scenario.name())) {
                    continue;
                }
                System.out.println("scenario " + scenario.name() + ": " + scenario.shows());
                Outcome outcome = new Outcome(scenario.name(), scenario.shows());
                long began = System.nanoTime();
                try {
                    scenario.run(lab, size, outcome);
                } catch (Exception e) {
                    outcome.aborted(e);
                    e.printStackTrace(System.out);
                }
                outcome.took((System.nanoTime() - began) / 1e9);
                System.out.printf("scenario %s %s in %.0f s%n", scenario.name(), outcome.passed() ? "passed" : "FAILED",
                        (System.nanoTime() - began) / 1e9);
                outcomes.add(outcome);
            }
        }
        Path written = report.write(outcomes, (System.nanoTime() - start) / 1e9);
        boolean passed = outcomes.stream().allMatch(Outcome::passed);
        // repeated at the end, where a CI log's tail shows it
        outcomes.stream().filter(o -> !o.passed()).forEach(Outcome::printFailures);
        System.out.println((passed ? "PASSED" : "FAILED") + ": results in " + written);
        System.exit(passed ? 0 : 1);
    }
}
