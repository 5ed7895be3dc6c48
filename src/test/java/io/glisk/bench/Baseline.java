package io.glisk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The CI check: ratios only (absolute times depend on the machine and on what else runs on it), each against
 * the committed baseline with a wide margin, so only a large regression fails.
 */
final class Baseline {

    /** Key, and the fraction of its baseline below which the run fails. */
    private static final Map<String, Double> FLOORS = Map.of(
            "generation_vs_bare_sql_ratio", 0.5,
            "provider_bound_utilization", 0.7,
            // 0.72-0.78 when a persona's Flowise calls came between its image calls, 0.96 in CI-sized runs since
            "avatar_provider_bound_utilization", 0.8);

    private Baseline() {
    }

    static int check(JsonNode baseline, Map<String, Object> results) {
        int failures = 0;
        for (Map.Entry<String, Double> floor : FLOORS.entrySet()) {
            double base = baseline.get(floor.getKey()).asDouble();
            double now = ((Number) results.get(floor.getKey())).doubleValue();
            boolean ok = now >= base * floor.getValue();
            System.out.printf("%s %s: %.3f (baseline %.3f, fails below %.3f)%n", ok ? "ok  " : "FAIL",
                    floor.getKey(), now, base, base * floor.getValue());
            failures += ok ? 0 : 1;
        }
        return failures == 0 ? 0 : 1;
    }
}
