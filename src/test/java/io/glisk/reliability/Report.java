package io.glisk.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glisk.support.MachineFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run's figures go: reliability/results/latest.json for a complete full-size run, ci.json for the reduced
 * size, partial.json when only some scenarios ran; a complete run of either size also writes the table in
 * RELIABILITY.md, which names its size. With the figures: the machine, its load when the run began, the commit,
 * and how long it took.
 */
final class Report {

    static final String TABLE_BEGIN = "<!-- reliability-figures:begin -->";
    static final String TABLE_END = "<!-- reliability-figures:end -->";

    private final Path project;
    private final Size size;
    private final long seed;
    private final List<String> only;
    private final String startedAt = Instant.now().toString();
    private final String loadAtStart = MachineFacts.loadAverages();

    Report(Path project, Size size, long seed, List<String> only) {
        this.project = project;
        this.size = size;
        this.seed = seed;
        this.only = only;
    }

    Path write(List<Outcome> outcomes, double seconds) throws IOException, InterruptedException {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("suite", "reliability");
        results.put("size", size.name());
        results.put("passed", outcomes.stream().allMatch(Outcome::passed));
        results.put("started_at", startedAt);
        results.put("seconds", Math.round(seconds));
        results.put("seed", seed);
        results.put("commit", commit());
        results.put("machine", machine());
        results.put("scenarios", outcomes.stream().map(Outcome::asMap).toList());
        String name = !only.isEmpty() ? "partial.json" : size == Size.CI ? "ci.json" : "latest.json";
        Path file = project.resolve("reliability/results/" + name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results)
                + "\n", StandardCharsets.UTF_8);
        if (only.isEmpty()) {
            updateTable(outcomes, seconds, name);
        }
        return file;
    }

    /** The figures table of RELIABILITY.md, between its markers. */
    private void updateTable(List<Outcome> outcomes, double seconds, String results) throws IOException, InterruptedException {
        Path doc = project.resolve("RELIABILITY.md");
        if (!Files.exists(doc)) {
            return;
        }
        StringBuilder table = new StringBuilder();
        table.append(TABLE_BEGIN).append("\n\n");
        table.append(size == Size.CI ? "Reduced (`--ci`) size, " : "Full size, ").append(startedAt, 0, 10)
                .append(", commit ").append(String.valueOf(commit().get("id")), 0, 12)
                .append(", ").append(machine().get("cpus")).append(" cores, load ").append(loadAtStart)
                .append(" at the start, ").append(Math.round(seconds / 60)).append(" min in all (seed ").append(seed)
                .append("; every figure in `reliability/results/").append(results).append("`).\n\n");
        table.append("| scenario | result | what was seen | time |\n|---|---|---|---|\n");
        for (Outcome outcome : outcomes) {
            Map<String, Object> map = outcome.asMap();
            Object headline = outcome.figure("headline");
            table.append("| ").append(outcome.scenario()).append(" | ")
                    .append(outcome.passed() ? "passed" : "**failed**").append(" | ")
                    .append(headline == null ? map.getOrDefault("error", "") : headline).append(" | ")
                    .append(Math.round(((Number) map.get("seconds")).doubleValue())).append(" s |\n");
        }
        table.append("\n").append(TABLE_END);
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(TABLE_BEGIN);
        int end = text.indexOf(TABLE_END);
        if (begin >= 0 && end > begin) {
            Files.writeString(doc, text.substring(0, begin) + table + text.substring(end + TABLE_END.length()),
                    StandardCharsets.UTF_8);
        }
    }

    private Map<String, Object> commit() throws IOException, InterruptedException {
        Map<String, Object> commit = new LinkedHashMap<>();
        commit.put("id", MachineFacts.commit(project));
        commit.put("uncommitted_changes", MachineFacts.uncommittedChanges(project));
        return commit;
    }

    private Map<String, Object> machine() {
        Map<String, Object> machine = MachineFacts.describe();
        machine.put("load_average_at_start", loadAtStart);
        machine.put("load_average_at_end", MachineFacts.loadAverages());
        return machine;
    }
}
