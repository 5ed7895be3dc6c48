package io.glisk.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The contract the pipeline talks to, on its own: contracts/gas-report.js deploys the checked-in artifact on a
 * throw-away anvil, checks its behaviour (mints, reveals, roles, refusals) and measures what batch reveals save.
 * It runs as a test so that it runs beside the others; its report is target/gas-report.txt.
 */
// a process of its own, sharing nothing with the other tests: it runs beside them (junit-platform.properties)
@Execution(ExecutionMode.CONCURRENT)
class ContractGasReportTest {

    @Test
    void theContractBehavesAndBatchRevealsMeetTheGasTarget() throws Exception {
        Path report = Path.of("target", "gas-report.txt");
        Files.createDirectories(report.getParent());
        Process run = new ProcessBuilder("node", "gas-report.js").directory(new File("contracts"))
                .redirectErrorStream(true).redirectOutput(report.toFile()).start();
        try {
            assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("gas-report.js finished").isTrue();
        } finally {
            run.destroy(); // stops its anvil too, should it still run
        }

        String output = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("  ok    ");
    }
}
