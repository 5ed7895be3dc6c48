package io.glisk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.GliskApplication;
import io.glisk.support.PipelineContextInitializer;
import io.glisk.support.TestDatabase;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** One switch turns the console log into JSON lines (Spring Boot's structured logging), events as fields. */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTest {

    @Test
    void jsonLogsCarryTheEventNameAndItsFields(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(GliskApplication.class).run(
                "--logging.structured.format.console=ecs", "--glisk.mode=local",
                "--spring.datasource.url=" + TestDatabase.newDatabase(), "--spring.datasource.username=postgres",
                "--server.port=" + PipelineContextInitializer.freePort(), "--glisk.local.ephemeral=true",
                "--glisk.stages.detection.enabled=false", "--glisk.stages.reveal.enabled=false")) {
            ObjectMapper json = new ObjectMapper();
            Optional<JsonNode> started = output.getOut().lines().filter(line -> line.startsWith("{"))
                    .map(line -> {
                        try {
                            return json.readTree(line);
                        } catch (Exception notJson) {
                            return null;
                        }
                    })
                    .filter(node -> node != null && "worker.started".equals(node.path("event").asText()))
                    .findFirst();

            assertThat(started).isPresent();
            assertThat(started.get().path("message").asText()).isEqualTo("worker.started");
            assertThat(started.get().path("stage").asText()).isIn("generation", "ipfs");
            assertThat(started.get().path("log").path("level").asText()).isEqualTo("INFO");
        }
    }
}
