package io.glisk.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One scenario's world: a fresh database, its own chain with the contract, the providers process with the
 * scenario's faults, the pipeline's instances — and the authors who mint, one token each with a prompt of its own
 * so that provider calls can be counted token by token.
 */
final class Run implements AutoCloseable {

    private final String name;
    private final Lab lab;
    private final Path dir;
    private final Chain chain;
    private final Providers providers;
    private final Pipeline pipeline;
    private final Ledger ledger;
    private final List<String> authors = new ArrayList<>();
    private int minted;
    private long firstMintNanos;

    private Run(String name, Lab lab, Path dir, Chain chain, Providers providers, Pipeline pipeline, Ledger ledger) {
        this.name = name;
        this.lab = lab;
        this.dir = dir;
        this.chain = chain;
        this.providers = providers;
        this.pipeline = pipeline;
        this.ledger = ledger;
    }

    /**
     * Sets the world up and starts it; {@code tokens} authors are given their prompts at once, so that minting
     * needs nothing but the chain (a database outage does not stop people from minting).
     */
    static Run open(Lab lab, String name, Providers.Faults faults, long processingMillis, int instances, int tokens)
            throws IOException, InterruptedException, SQLException {
        return open(lab, name, faults, processingMillis, instances, tokens, false);
    }

    /** The same, with the avatar stage running too when {@code avatar}. */
    static Run open(Lab lab, String name, Providers.Faults faults, long processingMillis, int instances, int tokens,
                    boolean avatar) throws IOException, InterruptedException, SQLException {
        Path dir = lab.dir().resolve(name);
        String database = "reliability_" + name.replace('-', '_');
        lab.postgres().createDatabase(database);
        Providers providers = new Providers(lab, dir, faults, processingMillis,
                (Pipeline.PROVIDER_TIMEOUT_SECONDS + 2) * 1000L);
        // the providers' process starts while the chain and the pipeline do: nothing calls a provider before a
        // token is minted or a task submitted, and every start-up of a JVM takes long on a busy machine
        providers.start();
        Chain chain = new Chain(lab, dir.resolve("chain"));
        chain.start();
        chain.deploy();
        Pipeline pipeline = new Pipeline(lab, dir, name, database, chain, providers, instances, avatar);
        pipeline.start();
        providers.awaitReady();
        Run run = new Run(name, lab, dir, chain, providers, pipeline, new Ledger(lab.postgres(), database));
        run.prepareAuthors(tokens);
        return run;
    }

    String name() {
        return name;
    }

    Lab lab() {
        return lab;
    }

    Path dir() {
        return dir;
    }

    Chain chain() {
        return chain;
    }

    Providers providers() {
        return providers;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    Ledger ledger() {
        return ledger;
    }

    synchronized int minted() {
        return minted;
    }

    /** The prompt of the n-th token minted (from 1): unique, harmless, in no simulator's list of refused words. */
    String prompt(int n) {
        return "reliability " + name + " token " + n + ": a lighthouse at dusk, oil on canvas";
    }

    private void prepareAuthors(int tokens) {
        Map<String, String> prompts = new LinkedHashMap<>();
        int scenario = name.hashCode();
        for (int n = 1; n <= tokens; n++) {
            String wallet = String.format("0x%08x%032x", scenario, n);
            authors.add(wallet);
            prompts.put(wallet, prompt(n));
        }
        ledger.addAuthors(prompts);
    }

    /** Mints the next {@code count} tokens, one per author, at once. */
    void mint(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            mintNext();
        }
    }

    /** Mints the next {@code count} tokens evenly over {@code over}, in the background. */
    CompletableFuture<Void> mintOver(int count, Duration over) {
        long gapNanos = over.toNanos() / Math.max(1, count);
        return CompletableFuture.runAsync(() -> {
            long next = System.nanoTime();
            try {
                for (int i = 0; i < count; i++) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    mintNext();
                    next += gapNanos;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private synchronized void mintNext() throws IOException {
        if (minted == 0) {
            firstMintNanos = System.nanoTime();
        }
        chain.mint(authors.get(minted));
        minted++;
    }

    /** Seconds since the first mint. */
    double sinceFirstMint() {
        return (System.nanoTime() - firstMintNanos) / 1e9;
    }

    /**
     * Waits until every token minted is revealed or failed and no reveal transaction is open; answers whether that
     * happened within {@code within}. The database may be away meanwhile: then it waits for it.
     */
    boolean awaitSettled(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Ledger.Progress progress = ledger.progress();
                if (progress.tokens() == minted() && progress.settled() == minted() && progress.openTransactions() == 0) {
                    return true;
                }
            } catch (RuntimeException databaseAway) {
                // the scenario stopped it: look again in a moment
            }
            Thread.sleep(500);
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        pipeline.stop();
        providers.stop();
        chain.close();
    }
}
