package io.glisk.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a published figure was taken on (the machine, how busy it was) and of which commit: the benchmark and the
 * fault-injection suite write both beside their figures.
 */
public final class MachineFacts {

    private MachineFacts() {
    }

    /** Cores, CPU model, memory, operating system and Java. */
    public static Map<String, Object> describe() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("memory_mb", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024 * 1024));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        return machine;
    }

    /** The 1, 5 and 15-minute load averages, as /proc/loadavg gives them. */
    public static String loadAverages() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The 1-minute load average. */
    public static double loadAverage() {
        String loads = loadAverages();
        return loads.equals("unknown") ? Double.NaN : Double.parseDouble(loads.split(" ")[0]);
    }

    /** HEAD of the checkout in {@code project}. */
    public static String commit(Path project) throws IOException, InterruptedException {
        return git(project, "rev-parse", "HEAD");
    }

    /** Whether tracked files differ from HEAD: the figures are then of no commit exactly. */
    public static boolean uncommittedChanges(Path project) throws IOException, InterruptedException {
        return !git(project, "status", "--porcelain", "--untracked-files=no").isEmpty();
    }

    private static String git(Path project, String... arguments) throws IOException, InterruptedException {
        Process git = new ProcessBuilder(Stream.concat(Stream.of("git"), Stream.of(arguments)).toList())
                .directory(project.toFile()).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        git.waitFor(10, TimeUnit.SECONDS);
        return git.exitValue() == 0 ? out : "unknown";
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
