package io.glisk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Where things are: the project, anvil, this run's directory; and the processes it started. */
final class Lab {

    private final Path project = Path.of("").toAbsolutePath();
    private final Path runDir;
    private final List<Process> processes = new ArrayList<>();

    Lab(String size) throws IOException {
        this.runDir = Files.createDirectories(project.resolve("target/bench")
                .resolve(size + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        // a process left behind by a run that was interrupted would hold ports and memory
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        })));
    }

    Path project() {
        return project;
    }

    Path runDir() {
        return runDir;
    }

    Path anvil() {
        return project.resolve("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    }

    Process track(Process process) {
        processes.add(process);
        return process;
    }
}
