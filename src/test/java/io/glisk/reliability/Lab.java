package io.glisk.reliability;

import io.glisk.support.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What every scenario of a run shares: the project (the jar Maven built, anvil from contracts/node_modules), the
 * run's directory (a sub-directory and the logs of each scenario), one PostgreSQL server (a fresh database per
 * scenario), the seeded randomness, and every process the run started — all of them stopped at the end, even
 * when the run fails.
 */
final class Lab implements AutoCloseable {

    private final Path project;
    private final Path dir;
    private final Path jar;
    private final Path anvil;
    private final String java;
    private final long seed;
    private final Random random;
    private final Postgres postgres;
    private final List<Process> processes = new CopyOnWriteArrayList<>();

    private Lab(Path project, Path dir, long seed) {
        this.project = project;
        this.dir = dir;
        this.jar = project.resolve("target/glisk-pipeline.jar");
        this.anvil = project.resolve("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        this.java = ProcessHandle.current().info().command().orElse("java");
        this.seed = seed;
        this.random = new Random(seed);
        this.postgres = new Postgres(dir.resolve("postgres"), FreePorts.next());
    }

    static Lab open(Path project, Path dir, long seed) throws IOException {
        Lab lab = new Lab(project, dir, seed);
        for (Path needed : List.of(lab.jar, lab.anvil)) {
            if (!Files.isRegularFile(needed)) {
                throw new IOException(needed + " is missing: run reliability/run, which builds the jar and installs anvil");
            }
        }
        Files.createDirectories(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(lab::stopProcesses));
        lab.postgres.start();
        return lab;
    }

    Path project() {
        return project;
    }

    Path dir() {
        return dir;
    }

    Path jar() {
        return jar;
    }

    Path anvil() {
        return anvil;
    }

    String java() {
        return java;
    }

    long seed() {
        return seed;
    }

    Random random() {
        return random;
    }

    Postgres postgres() {
        return postgres;
    }

    /** Registers a process this run started, so that it is stopped with the run. */
    Process started(Process process) {
        processes.add(process);
        return process;
    }

    private void stopProcesses() {
        processes.stream().filter(Process::isAlive).forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() throws IOException {
        stopProcesses();
        postgres.close();
    }
}
