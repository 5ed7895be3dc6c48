package io.glisk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.GliskApplication;
import io.glisk.support.FreePorts;
import io.glisk.support.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * One switch, as an operator sets it (the environment variable of Spring Boot's structured logging), turns
 * the console log into JSON lines with the event name as a field. The service runs in a JVM of its own:
 * logging is set up once per JVM, and the test JVM's is already set up by the other tests.
 */
// a process of its own, sharing nothing with the other tests: it runs beside them (junit-platform.properties)
@Execution(ExecutionMode.CONCURRENT)
class StructuredLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLogsCarryTheEventNameAndItsFields() throws Exception {
        // the client compiler only, as in the test JVMs: the service lives a few seconds
        ProcessBuilder service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), GliskApplication.class.getName(),
                "--glisk.mode=local", "--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres", "--server.port=" + FreePorts.next(),
                "--glisk.local.ephemeral=true", "--glisk.stages.detection.enabled=false",
                "--glisk.stages.reveal.enabled=false")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        service.environment().put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        Process process = service.start();
        List<String> lines = new ArrayList<>();
        JsonNode started = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && started == null && lines.size() < 2000; line = out.readLine()) {
                lines.add(line);
                JsonNode event = JSON.readTree(line);
                if ("worker.started".equals(event.path("event").asText())) {
                    started = event;
                }
            }
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        // every line of standard output parsed as JSON (readTree would have thrown); the event is a field
        assertThat(started).as(String.join("\n", lines)).isNotNull();
        assertThat(started.path("message").asText()).isEqualTo("worker.started");
        assertThat(started.path("stage").asText()).isIn("generation", "ipfs", "avatar");
        assertThat(started.path("batch_size").asInt()).isPositive();
        assertThat(started.path("log").path("level").asText()).isEqualTo("INFO");
        assertThat(started.path("@timestamp").asText()).isNotBlank();
    }
}
