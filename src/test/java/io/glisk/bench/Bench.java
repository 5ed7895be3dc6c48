package io.glisk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariDataSource;
import io.glisk.image.Image;
import io.glisk.support.FreePorts;
import io.glisk.support.MachineFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The benchmark: the service jar run as operators run it, measured from outside (HTTP, /proc, the database's own
 * statistics and clock). Writes bench/results/latest.json and latest.md with its charts; {@code --ci} runs a
 * reduced set and fails when a ratio fell far below the committed baseline (bench/baseline.json).
 */
public final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Tokens in flight in the generation stage (WORKER_BATCH_SIZE) while its throughput is measured. */
    private static final int GENERATION_BATCH = 10;
    /** Provider latency L and concurrency C of the provider-bound runs. */
    private static final int REPLICATE_LATENCY_MILLIS = 1000;
    private static final int REPLICATE_CONCURRENCY = 20;
    private static final int OPENAI_LATENCY_MILLIS = 1000;
    private static final int OPENAI_CONCURRENCY = 4;

    private final Lab lab;
    private final boolean ci;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, Object> loads = new LinkedHashMap<>();
    /** CPU ticks (stolen, all) at each phase's start, for the share the host took from it. */
    private final Map<String, long[]> ticks = new LinkedHashMap<>();
    /** An image the simulated Replicate made in the generation phase: what the IPFS phase's tokens have kept. */
    private Image simulatedImage;
    private final Map<String, String> charts = new LinkedHashMap<>();
    private final Path resultsDir;

    private Bench(Lab lab, boolean ci) {
        this.lab = lab;
        this.ci = ci;
        this.resultsDir = lab.project().resolve("bench/results");
    }

    public static void main(String[] args) throws Exception {
        boolean ci = List.of(args).contains("--ci");
        Lab lab = new Lab(ci ? "ci" : "full");
        Bench bench = new Bench(lab, ci);
        long started = System.nanoTime();
        bench.run();
        bench.results.put("bench_duration_s", round((System.nanoTime() - started) / 1e9, 0));
        int exit = bench.write();
        System.exit(exit);
    }

    private interface Phase {
        void run() throws Exception;
    }

    private void run() throws Exception {
        Map<String, Object> machine = MachineFacts.describe();
        machine.put("load_average_1m_at_start", MachineFacts.loadAverage());
        long[] startTicks = MachineFacts.cpuTicks();
        results.put("machine", machine);
        String head = MachineFacts.commit(lab.project());
        results.put("commit", head.substring(0, Math.min(12, head.length()))
                + (MachineFacts.uncommittedChanges(lab.project()) ? "-dirty" : ""));
        Map<String, Phase> phases = new LinkedHashMap<>();
        phases.put("generation", this::generation);
        phases.put("provider_bound", this::providerBound);
        if (ci) {
            phases.put("avatar", this::avatarAlone);
        } else {
            phases.put("ipfs", this::ipfs);
            phases.put("gas", this::gas);
            phases.put("local_pipeline", this::localPipeline);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (Map.Entry<String, Phase> phase : phases.entrySet()) {
            try {
                phase.getValue().run();
            } catch (Exception e) {
                // the other phases' figures are still worth having; the failure is in the results
                e.printStackTrace();
                errors.put(phase.getKey(), e.toString());
            }
        }
        results.put("load_average_1m", loads);
        results.put("cpu_steal_percent", steal(startTicks));
        if (!errors.isEmpty()) {
            results.put("errors", errors);
        }
    }

    // ---- generation: pick-up, throughput, bare SQL, memory ----------------------------------------------------

    private void generation() throws Exception {
        int pgPort = FreePorts.next();
        Map<String, String> env = generationOnly(pgPort, 0, GENERATION_BATCH);
        try (Jar jar = Jar.start(lab, "generation", FreePorts.next(), env).awaitReady();
             Database db = Database.connect(pgPort, "glisk")) {
            results.put("startup_local_generation_only_s", round(jar.startupSeconds(), 2));
            long author = db.author();
            int tokens = ci ? 3000 : 10_000;
            long next = 1;

            // a first backlog warms the stage's code paths up (the JIT compiler needs tens of thousands of tokens on
            // two cores): the probes measure an idle stage, not a cold one, and the throughput a service that has run
            // for a while, not its first minute; how fast a cold one goes is kept beside it
            int warmup = ci ? 500 : 30_000;
            long warmupStart = System.nanoTime();
            db.insertTokens(author, next, next + warmup - 1);
            next += warmup;
            db.awaitGenerated(300);
            if (!ci) {
                results.put("generation_cold_tokens_per_s", round(warmup / ((System.nanoTime() - warmupStart) / 1e9), 0));
                results.put("generation_cold_tokens", warmup);
            }
            Thread.sleep(2000);

            load("pickup_idle");
            db.run("bench/pickup-probe.sql");
            int probes = ci ? 100 : 300;
            for (int i = 0; i < probes; i++) {
                db.insertTokens(author, next, next);
                next++;
                Thread.sleep(20);
            }
            db.awaitGenerated(60);
            List<Double> idle = db.pickups();
            results.put("pickup_idle_p50_ms", round(percentile(idle, 50), 2));
            results.put("pickup_idle_p99_ms", round(percentile(idle, 99), 2));
            db.run("bench/pickup-probe-off.sql");

            load("generation_throughput");
            double maxRss = jar.rssMb();
            long insertStart = System.nanoTime();
            long first = next;
            db.insertTokens(author, first, first + tokens - 1);
            next += tokens;
            // the polls only say when it is over (and sample the memory): the times come from the tokens themselves
            while (db.unfinished() > 0) {
                maxRss = Math.max(maxRss, jar.rssMb());
                if (System.nanoTime() - insertStart > 600e9) {
                    throw new IOException("generation did not finish " + tokens + " tokens in 600 s");
                }
                Thread.sleep(500);
            }
            maxRss = Math.max(maxRss, jar.rssMb());
            List<double[]> done = new ArrayList<>();
            done.add(new double[] {0, 0});
            List<Double> finished = db.finishTimes(first, first + tokens - 1);
            for (int i = 0; i < finished.size(); i++) {
                // a point every 50 ms of the run is enough for the chart
                if (finished.get(i) - done.get(done.size() - 1)[0] >= 0.05 || i == finished.size() - 1) {
                    done.add(new double[] {finished.get(i), i + 1});
                }
            }
            double elapsed = finished.get(finished.size() - 1);
            double throughput = tokens / elapsed;
            results.put("generation_tokens_per_s", round(throughput, 0));
            results.put("rss_mb_10k_backlog", round(maxRss, 0));
            results.put("generation_tokens", tokens);
            results.put("generation_worker_batch_size", GENERATION_BATCH);
            charts.put("generation-throughput.svg", Svg.lines("Generation, " + tokens + " tokens (instant simulated Replicate)",
                    "seconds since the tokens were inserted", "tokens/s", List.of(
                            new Svg.Series("tokens/s (0.5 s window)", rate(done, 0.5)))));

            load("pickup_under_load");
            db.run("bench/pickup-probe.sql");
            double rate = throughput / 2;
            long streamed = 0;
            long streamStart = System.nanoTime();
            double seconds = ci ? 4 : 10;
            while (System.nanoTime() - streamStart < seconds * 1e9) {
                long due = (long) ((System.nanoTime() - streamStart) / 1e9 * rate) - streamed;
                if (due > 0) {
                    db.insertTokens(author, next, next + due - 1);
                    next += due;
                    streamed += due;
                }
                Thread.sleep(5);
            }
            db.awaitGenerated(120);
            List<Double> loaded = db.pickups();
            results.put("pickup_p50_ms", round(percentile(loaded, 50), 2));
            results.put("pickup_p99_ms", round(percentile(loaded, 99), 2));
            results.put("pickup_under_load_tokens_per_s", round(rate, 0));
            db.run("bench/pickup-probe-off.sql");
            charts.put("pickup-latency.svg", Svg.histogram("Pick-up (inserted → claimed), stage busy at "
                    + Math.round(rate) + " tokens/s", "milliseconds", loaded, 40, percentile(loaded, 50), percentile(loaded, 99)));

            load("bare_sql");
            Image image = db.anImage();
            simulatedImage = image;
            double bare = bareSql(pgPort, tokens, image.bytes(), true);
            results.put("bare_sql_tokens_per_s", round(bare, 0));
            results.put("bare_sql_per_row_tokens_per_s", round(bareSql(pgPort, tokens, image.bytes(), false), 0));
            results.put("generation_vs_bare_sql_ratio", round(throughput / bare, 3));
            results.put("image_bytes", image.bytes().length);
        }
    }

    /**
     * The same claim and finish SQL on a fresh database of the same PostgreSQL server, the service idle beside it:
     * a few threads, each with its own connection, as the stage's workers have theirs; {@code grouped}: a claim's
     * finishes committed together.
     */
    private double bareSql(int pgPort, int tokens, byte[] image, boolean grouped) throws Exception {
        try (Database admin = Database.connect(pgPort, "postgres")) {
            admin.execute("DROP DATABASE IF EXISTS bench_bare");
            admin.execute("CREATE DATABASE bench_bare");
        }
        try (Database bare = Database.connect(pgPort, "bench_bare")) {
            Flyway.configure().dataSource(bare.dataSource()).locations("classpath:db/migration").load().migrate();
            bare.insertTokens(bare.author(), 1, tokens);
        }
        int threads = 2 * Runtime.getRuntime().availableProcessors();
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + pgPort + "/bench_bare");
            pool.setUsername("postgres");
            pool.setMaximumPoolSize(threads);
            return new BareSql(new NamedParameterJdbcTemplate(pool), grouped).run(tokens, GENERATION_BATCH, threads, image);
        }
    }

    // ---- provider-bound: latency L, concurrency C --------------------------------------------------------------

    private void providerBound() throws Exception {
        int pgPort = FreePorts.next();
        try (Jar jar = Jar.start(lab, "provider-bound", FreePorts.next(),
                generationOnly(pgPort, REPLICATE_LATENCY_MILLIS, REPLICATE_CONCURRENCY)).awaitReady();
             Database db = Database.connect(pgPort, "glisk")) {
            load("provider_bound");
            int tokens = REPLICATE_CONCURRENCY * (ci ? 8 : 20);
            List<double[]> done = new ArrayList<>();
            long start = System.nanoTime();
            db.insertTokens(db.author(), 1, tokens);
            while (done.isEmpty() || done.get(done.size() - 1)[1] < tokens) {
                if (System.nanoTime() - start > 300e9) {
                    throw new IOException("provider-bound run unfinished after 300 s: " + db.statusCounts());
                }
                Thread.sleep(20);
                done.add(new double[] {(System.nanoTime() - start) / 1e9, tokens - db.unfinished()});
            }
            double perSecond = steadyRate(done, tokens);
            double ideal = REPLICATE_CONCURRENCY * 1000.0 / REPLICATE_LATENCY_MILLIS;
            results.put("provider_bound_utilization", round(perSecond / ideal, 3));
            results.put("provider_bound_setting", "L " + REPLICATE_LATENCY_MILLIS + " ms, C " + REPLICATE_CONCURRENCY
                    + ", " + tokens + " tokens: " + round(perSecond, 1) + " of " + ideal + " tokens/s");
        }
    }

    // ---- IPFS: the stage alone, instant simulated Pinata --------------------------------------------------------

    /**
     * Tokens inserted as the generation stage leaves them (uploading, the image's bytes kept), pinned by a service
     * running only the IPFS stage: two Pinata calls and two writes a token (the image's CID, then the finish),
     * beside its share of a claim.
     */
    private void ipfs() throws Exception {
        int pgPort = FreePorts.next();
        Map<String, String> env = onlyStage("ipfs", pgPort, GENERATION_BATCH);
        try (Jar jar = Jar.start(lab, "ipfs", FreePorts.next(), env).awaitReady();
             Database db = Database.connect(pgPort, "glisk")) {
            long author = db.author();
            int warmup = 5000;
            int tokens = 10_000;
            db.insertUploading(author, 1, warmup, simulatedImage);
            db.awaitStatus("ready", warmup, 300);
            load("ipfs_throughput");
            long start = System.nanoTime();
            db.insertUploading(author, warmup + 1, warmup + tokens, simulatedImage);
            db.awaitStatus("ready", warmup + tokens, 600);
            results.put("ipfs_tokens_per_s", round(tokens / ((System.nanoTime() - start) / 1e9), 0));
            results.put("ipfs_tokens", tokens);
        }
    }

    private Map<String, String> generationOnly(int pgPort, int latencyMillis, int batch) {
        Map<String, String> env = onlyStage("generation", pgPort, batch);
        env.put("SIM_REPLICATE_PROCESSING_MILLIS", Integer.toString(latencyMillis));
        return env;
    }

    /** Local mode with {@code stage} the only one of the service's stages running, WORKER_BATCH_SIZE {@code batch}. */
    private static Map<String, String> onlyStage(String stage, int pgPort, int batch) {
        Map<String, String> env = new LinkedHashMap<>(localMode(pgPort));
        for (String other : List.of("detection", "generation", "ipfs", "reveal", "avatar")) {
            if (!other.equals(stage)) {
                env.put("GLISK_STAGES_" + other.toUpperCase(Locale.ROOT) + "_ENABLED", "false");
            }
        }
        env.put("WORKER_BATCH_SIZE", Integer.toString(batch));
        return env;
    }

    private static Map<String, String> localMode(int pgPort) {
        // the data directory (.glisk) is in the process's own fresh directory: a kept one honours the port
        return Map.of("GLISK_MODE", "local", "GLISK_LOCAL_POSTGRES_PORT", Integer.toString(pgPort));
    }

    // ---- gas: the contract's own report ---------------------------------------------------------------------

    /** contracts/gas-report.js, the script ContractGasReportTest runs: per-token gas of reveals of 1 and of 50. */
    private void gas() throws Exception {
        load("gas");
        Path out = lab.runDir().resolve("gas-report.txt");
        Process node = lab.track(new ProcessBuilder("node", "gas-report.js").directory(lab.project().resolve("contracts").toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start());
        if (!node.waitFor(3, TimeUnit.MINUTES) || node.exitValue() != 0) {
            throw new IOException("gas-report.js failed; see " + out);
        }
        Matcher m = Pattern.compile("batch +(\\d+):.*per token min [\\d,]+ / mean ([\\d,]+)").matcher(Files.readString(out));
        while (m.find()) {
            if (m.group(1).equals("1") || m.group(1).equals("50")) {
                results.put("reveal_gas_per_token_" + m.group(1), Long.parseLong(m.group(2).replace(",", "")));
            }
        }
    }

    // ---- the whole local pipeline: start-up, idle, live start-up, 10,000 mints, avatar -------------------------

    private void localPipeline() throws Exception {
        int pgPort = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>(localMode(pgPort));
        env.put("LOCAL_CHAIN_PORT", Integer.toString(FreePorts.next()));
        env.put("SIM_REPLICATE_PROCESSING_MILLIS", "0");
        env.put("SIM_OPENAI_LATENCY_MILLIS", Integer.toString(OPENAI_LATENCY_MILLIS));
        env.put("OPENAI_MAX_CONCURRENT_REQUESTS", Integer.toString(OPENAI_CONCURRENCY));
        results.put("sync_before_startup_local_s", round(sync(), 2));
        load("startup_local");
        try (Jar jar = Jar.start(lab, "local", FreePorts.next(), env).awaitReady();
             Database db = Database.connect(pgPort, "glisk")) {
            results.put("startup_local_s", round(jar.startupSeconds(), 2));
            idle(jar, pgPort);
            liveStartup(jar, pgPort);
            mints(jar, db);
            avatar(jar);
        }
    }

    /** What a quiet service costs, measured from outside: its CPU time, and its database's transactions. */
    private void idle(Jar jar, int pgPort) throws Exception {
        // start-up's own work settles first: 30-90 s after start the JIT compiler was still compiling what the first polls
        // ran (C1 and the VM thread about 0.5 % of a core between them), four minutes later it had as good as stopped
        Thread.sleep(90_000);
        load("idle");
        int seconds = 60;
        try (Database stats = Database.connect(pgPort, "postgres")) {
            double cpu0 = jar.cpuSeconds();
            Map<Long, Map.Entry<String, Long>> threads0 = jar.threadCpuTicks();
            long tx0 = stats.transactions("glisk");
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double cpu1 = jar.cpuSeconds();
            Map<Long, Map.Entry<String, Long>> threads1 = jar.threadCpuTicks();
            long tx1 = stats.transactions("glisk");
            double elapsed = (System.nanoTime() - t0) / 1e9;
            results.put("idle_cpu_percent", round((cpu1 - cpu0) / elapsed * 100, 2));
            results.put("idle_queries_per_s", round((tx1 - tx0) / elapsed, 2));
            results.put("idle_window_s", seconds);
            results.put("idle_cpu_ms_by_thread", idleByThread(threads0, threads1, jar.javaThreadNames()));
        }
    }

    /**
     * Writes the earlier phases left in memory go to the disk (sync) before a start-up is timed: it then measures the
     * service, not their flushing (a PostgreSQL that stopped with tens of thousands of images behind it). Answers how
     * long that took.
     */
    private static double sync() throws IOException, InterruptedException {
        long start = System.nanoTime();
        new ProcessBuilder("sync").inheritIO().start().waitFor(60, TimeUnit.SECONDS);
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Where an idle window's CPU went: milliseconds by thread, named by its Java name where known (else the kernel's
     * 15 characters), threads of a pool summed (their port and number dropped), the largest first; a thread that
     * started in the window counts from its own start.
     */
    private static Map<String, Long> idleByThread(Map<Long, Map.Entry<String, Long>> before,
                                                  Map<Long, Map.Entry<String, Long>> after, Map<Long, String> javaNames) {
        Map<String, Long> byName = new HashMap<>();
        after.forEach((tid, thread) -> {
            long ticks = thread.getValue() - (before.containsKey(tid) ? before.get(tid).getValue() : 0);
            if (ticks > 0) {
                String name = javaNames.getOrDefault(tid, thread.getKey())
                        .replaceAll("[0-9]{4,}", "#").replaceAll("(exec|utility|TaskRunner)-?[0-9]+", "$1-#");
                byName.merge(name, ticks * 10, Long::sum);
            }
        });
        Map<String, Long> sorted = new LinkedHashMap<>();
        byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * Live mode (no simulators, no embedded database): a second process on a database of its own on the same
     * PostgreSQL server, the local process's anvil, contract and simulators standing in for the providers.
     */
    private void liveStartup(Jar local, int pgPort) throws Exception {
        try (Database admin = Database.connect(pgPort, "postgres")) {
            admin.execute("DROP DATABASE IF EXISTS bench_live");
            admin.execute("CREATE DATABASE bench_live");
        }
        JsonNode chain = JSON.readTree(local.get("/api/local/chain"));
        String sim = local.baseUrl() + "/sim";
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/bench_live");
        env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        env.put("RPC_URL", chain.get("rpcUrl").asText());
        env.put("CHAIN_ID", chain.get("chainId").asText());
        env.put("GLISK_NFT_CONTRACT_ADDRESS", chain.get("contractAddress").asText());
        // anvil's second default account, the keeper local mode granted its role
        env.put("KEEPER_PRIVATE_KEY", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        env.put("ALCHEMY_WEBHOOK_SECRET", "bench-webhook-secret");
        env.put("REPLICATE_API_TOKEN", "local-simulator-token");
        env.put("REPLICATE_BASE_URL", sim + "/replicate");
        env.put("PINATA_JWT", "local-pinata-jwt");
        env.put("PINATA_API_URL", sim + "/pinata");
        env.put("PINATA_GATEWAY", sim);
        env.put("IMAGE_DOWNLOAD_ALLOWED_HOSTS", "127.0.0.1");
        env.put("OPENAI_API_KEY", "local-openai-key");
        env.put("OPENAI_BASE_URL", sim + "/openai");
        env.put("FLOWISE_URL", sim + "/flowise");
        env.put("FLOWISE_API_KEY", "local-flowise-key");
        env.put("FLOWISE_PERSONA_FLOW_ID", "sim-persona-flow");
        env.put("FLOWISE_IMAGE_PROMPT_FLOW_ID", "sim-image-prompt-flow");
        env.put("S3_ENDPOINT", sim + "/s3");
        env.put("S3_ACCESS_KEY", "local-s3-access-key");
        env.put("S3_SECRET_KEY", "local-s3-secret-key");
        results.put("sync_before_startup_live_s", round(sync(), 2));
        load("startup_live");
        try (Jar live = Jar.start(lab, "live", FreePorts.next(), env).awaitReady()) {
            results.put("startup_s", round(live.startupSeconds(), 2));
        }
    }

    /** 10,000 tokens minted on anvil through the local mint API (200 calls of 50), until every one is revealed. */
    private void mints(Jar jar, Database db) throws Exception {
        load("mints");
        int calls = 200;
        List<double[]> minted = new ArrayList<>();
        List<double[]> revealed = new ArrayList<>();
        long start = System.nanoTime();
        Thread sampler = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    double t = (System.nanoTime() - start) / 1e9;
                    Map<String, Long> counts = db.statusCounts();
                    minted.add(new double[] {t, counts.values().stream().mapToLong(Long::longValue).sum()});
                    revealed.add(new double[] {t, counts.getOrDefault("revealed", 0L)});
                    Thread.sleep(250);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < calls; i++) {
            jar.post("/api/local/mint", "{\"quantity\": 50}");
        }
        double mintSeconds = (System.nanoTime() - start) / 1e9;
        db.awaitStatus("revealed", calls * 50L, 600);
        double total = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        results.put("mints_10k_to_revealed_s", round(total, 1));
        results.put("mints_10k_mint_calls_s", round(mintSeconds, 1));
        charts.put("mints-to-revealed.svg", Svg.lines("10,000 mints → revealed (local chain, instant providers)",
                "seconds since the first mint call", "tokens", List.of(new Svg.Series("detected (all statuses)", minted),
                        new Svg.Series("revealed", revealed))));
    }

    /** The CI check's avatar figure: a service running only the avatar stage, a fresh start, one task. */
    private void avatarAlone() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(onlyStage("avatar", FreePorts.next(), GENERATION_BATCH));
        env.put("SIM_OPENAI_LATENCY_MILLIS", Integer.toString(OPENAI_LATENCY_MILLIS));
        env.put("OPENAI_MAX_CONCURRENT_REQUESTS", Integer.toString(OPENAI_CONCURRENCY));
        try (Jar jar = Jar.start(lab, "avatar", FreePorts.next(), env).awaitReady()) {
            avatar(jar);
        }
    }

    /** A task's image calls against the simulated OpenAI at latency L, at most C at once: calls/s against C/L. */
    private void avatar(Jar jar) throws Exception {
        load("avatar");
        JsonNode task = JSON.readTree(jar.post("/api/avatar/tasks", "{\"personaCount\": 20, \"imagesPerPersona\": 8, "
                + "\"personaDescription\": \"Bench personas\", \"bioLanguage\": \"English\"}"));
        String id = task.get("id").asText();
        List<double[]> calls = new ArrayList<>();
        long start = System.nanoTime();
        while (true) {
            double t = (System.nanoTime() - start) / 1e9;
            calls.add(new double[] {t, openAiCalls(jar)});
            String status = JSON.readTree(jar.get("/api/avatar/tasks/" + id + "?size=1")).get("status").asText();
            if (status.equals("completed") || status.equals("failed") || t > 300) {
                break;
            }
            Thread.sleep(100);
        }
        double[] last = calls.get(calls.size() - 1);
        double perSecond = steadyRate(calls, last[1]);
        double ideal = OPENAI_CONCURRENCY * 1000.0 / OPENAI_LATENCY_MILLIS;
        results.put("avatar_provider_bound_utilization", round(perSecond / ideal, 3));
        results.put("avatar_setting", "L " + OPENAI_LATENCY_MILLIS + " ms, C " + OPENAI_CONCURRENCY + ", "
                + (long) last[1] + " image calls: " + round(perSecond, 2) + " of " + ideal + " calls/s");
    }

    private static double openAiCalls(Jar jar) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : jar.get("/actuator/prometheus").split("\n")) {
            if (line.startsWith("glisk_provider_requests_seconds_count{") && line.contains("provider=\"openai\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    // ---- results ----------------------------------------------------------------------------------------------

    private int write() throws IOException {
        Files.createDirectories(resultsDir);
        String name = ci ? "ci" : "latest";
        Files.writeString(resultsDir.resolve(name + ".json"), JSON.writeValueAsString(results));
        int exit = results.containsKey("errors") ? 1 : 0;
        if (ci && exit == 0) {
            exit = Baseline.check(JSON.readTree(lab.project().resolve("bench/baseline.json").toFile()), results);
        } else {
            for (Map.Entry<String, String> chart : charts.entrySet()) {
                Files.writeString(resultsDir.resolve(chart.getKey()), chart.getValue());
            }
            Files.writeString(resultsDir.resolve("latest.md"), Report.markdown(results, charts.keySet()));
        }
        System.out.println(JSON.writeValueAsString(results));
        return exit;
    }

    private void load(String phase) throws IOException {
        loads.put(phase, MachineFacts.loadAverage());
        ticks.put(phase, MachineFacts.cpuTicks());
    }

    /** The share of CPU time the host took, from each phase's start to the next one's, and over the whole run. */
    private Map<String, Object> steal(long[] startTicks) {
        long[] end = MachineFacts.cpuTicks();
        Map<String, Object> steal = new LinkedHashMap<>();
        List<Map.Entry<String, long[]>> marks = new ArrayList<>(ticks.entrySet());
        for (int i = 0; i < marks.size(); i++) {
            long[] next = i + 1 < marks.size() ? marks.get(i + 1).getValue() : end;
            steal.put(marks.get(i).getKey(), MachineFacts.stealPercent(marks.get(i).getValue(), next));
        }
        steal.put("whole_run", MachineFacts.stealPercent(startTicks, end));
        return steal;
    }

    /** Tokens per second over a sliding window, from cumulative (time, count) samples. */
    private static List<double[]> rate(List<double[]> cumulative, double window) {
        List<double[]> out = new ArrayList<>();
        int from = 0;
        for (double[] p : cumulative) {
            while (cumulative.get(from)[0] < p[0] - window) {
                from++;
            }
            double[] q = cumulative.get(from);
            if (p[0] > q[0]) {
                out.add(new double[] {p[0], (p[1] - q[1]) / (p[0] - q[0])});
            }
        }
        return out;
    }

    /**
     * The rate sustained while the work runs: from the sample where 10 % of {@code total} was done to the one where
     * 90 % was, so the ramp-up of the first calls and the tail of the last ones do not count.
     */
    private static double steadyRate(List<double[]> cumulative, double total) {
        double[] from = cumulative.stream().filter(c -> c[1] >= 0.1 * total).findFirst().orElseThrow();
        double[] to = cumulative.stream().filter(c -> c[1] >= 0.9 * total).findFirst().orElseThrow();
        return (to[1] - from[1]) / (to[0] - from[0]);
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1));
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
