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

    /**
     * The machine's CPU time so far, from /proc/stat: {stolen, all} in ticks. On a virtual machine, time the host
     * gave to other guests while this one had work shows as stolen: a phase that ran slow with much of it was short
     * of CPU, not slow itself.
     */
    public static long[] cpuTicks() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String[] fields = lines.findFirst().orElseThrow().strip().split("\\s+");
            long all = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                all += Long.parseLong(fields[i]);
            }
            return new long[] {fields.length > 8 ? Long.parseLong(fields[8]) : 0, all};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** The share of CPU time stolen between two {@link #cpuTicks()}, in percent. */
    public static double stealPercent(long[] from, long[] to) {
        long all = to[1] - from[1];
        return all <= 0 ? Double.NaN : Math.round((to[0] - from[0]) * 1000.0 / all) / 10.0;
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
