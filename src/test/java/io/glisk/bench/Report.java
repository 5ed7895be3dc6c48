package io.glisk.bench;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

/** latest.md: every figure beside its target, the charts, and what the machine was doing meanwhile. */
final class Report {

    record Target(String key, String what, String target, DoublePredicate met) {
    }

    static final List<Target> TARGETS = List.of(
            new Target("pickup_p50_ms", "pick-up p50, stage busy (inserted → claimed)", "—", v -> true),
            new Target("pickup_p99_ms", "pick-up p99, stage busy", "≤ 25 ms", v -> v <= 25),
            new Target("pickup_idle_p99_ms", "pick-up p99, idle stage", "≤ 25 ms", v -> v <= 25),
            new Target("generation_tokens_per_s", "generation, instant simulated Replicate, warmed up", "≥ 1,500 tokens/s", v -> v >= 1500),
            new Target("generation_cold_tokens_per_s", "generation, the first 30,000 tokens after start-up", "—", v -> true),
            new Target("bare_sql_tokens_per_s", "bare claim + finish SQL, a claim's finishes grouped (ceiling)", "—", v -> true),
            new Target("bare_sql_per_row_tokens_per_s", "bare claim + finish SQL, a transaction per finish", "—", v -> true),
            new Target("generation_vs_bare_sql_ratio", "generation ÷ bare SQL", "≥ 0.5", v -> v >= 0.5),
            new Target("provider_bound_utilization", "generation at latency L, concurrency C, ÷ C/L", "≥ 0.95", v -> v >= 0.95),
            new Target("ipfs_tokens_per_s", "IPFS stage alone, instant simulated Pinata, after 5,000 tokens of warm-up", "—", v -> true),
            new Target("mints_10k_to_revealed_s", "10,000 mints → revealed (anvil, instant providers)", "≤ 60 s", v -> v <= 60),
            new Target("idle_cpu_percent", "idle CPU, % of one core", "≤ 0.5", v -> v <= 0.5),
            new Target("idle_queries_per_s", "idle database transactions/s", "≤ 1", v -> v <= 1),
            new Target("reveal_gas_per_token_1", "reveal gas, 1 token", "—", v -> true),
            new Target("reveal_gas_per_token_50", "reveal gas per token, batch of 50", "≤ 40 % of 1 token", v -> true),
            new Target("startup_s", "start-up to ready, live mode, external PostgreSQL", "≤ 8 s", v -> v <= 8),
            new Target("startup_local_s", "start-up to ready, local mode (embedded PostgreSQL, anvil)", "≤ 8 s", v -> v <= 8),
            new Target("rss_mb_10k_backlog", "RSS while working off 10,000 tokens", "≤ 512 MB", v -> v <= 512),
            new Target("avatar_provider_bound_utilization", "avatar image calls ÷ C/L", "≥ 0.95", v -> v >= 0.95));

    private Report() {
    }

    static String markdown(Map<String, Object> results, Collection<String> charts) {
        StringBuilder md = new StringBuilder("# glisk-pipeline benchmark\n\n");
        Map<?, ?> machine = (Map<?, ?>) results.get("machine");
        md.append("Commit `").append(results.get("commit")).append("`; ").append(machine.get("cpus")).append(" cores (")
                .append(machine.get("cpu")).append("), ").append(machine.get("memory_mb")).append(" MB, ")
                .append(machine.get("java")).append(".\n\n| figure | value | target | |\n|---|---:|---|---|\n");
        for (Target t : TARGETS) {
            Object value = results.get(t.key());
            if (value == null) {
                continue;
            }
            double v = ((Number) value).doubleValue();
            boolean met = t.key().equals("reveal_gas_per_token_50")
                    ? results.get("reveal_gas_per_token_1") instanceof Number one && v <= 0.4 * one.doubleValue()
                    : t.met().test(v);
            md.append("| ").append(t.what()).append(" (`").append(t.key()).append("`) | ").append(value).append(" | ")
                    .append(t.target()).append(" | ").append(t.target().equals("—") ? "" : met ? "✅" : "❌").append(" |\n");
        }
        md.append("\nProvider-bound: ").append(results.get("provider_bound_setting")).append(". Avatar: ")
                .append(results.get("avatar_setting")).append(". 10,000 mints: the 200 mint calls took ")
                .append(results.get("mints_10k_mint_calls_s")).append(" s.\n\n");
        if (results.get("idle_cpu_ms_by_thread") instanceof Map<?, ?> threads) {
            md.append("Idle CPU by thread, ms in the ").append(results.get("idle_window_s")).append(" s window: ")
                    .append(threads).append("\n\n");
        }
        for (String chart : charts) {
            md.append("![").append(chart).append("](").append(chart).append(")\n\n");
        }
        if (results.containsKey("errors")) {
            md.append("**Phases that failed** (their figures are missing): ").append(results.get("errors")).append("\n\n");
        }
        md.append("Load average (1 min) at the start of each phase — the machine is shared; figures taken above ~1.5 ")
                .append("on 2 cores are pessimistic: ").append(results.get("load_average_1m")).append("\n\n")
                .append("CPU time the host gave to other virtual machines (steal, % of all) from each phase's start to the next — ")
                .append("beyond a few percent the phase ran short of CPU: ").append(results.get("cpu_steal_percent"))
                .append("\n\nRun: `bench/run` (")
                .append(results.get("bench_duration_s")).append(" s).\n");
        return md.toString();
    }
}
