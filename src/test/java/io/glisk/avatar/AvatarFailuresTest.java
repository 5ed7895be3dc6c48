package io.glisk.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.local.avatar.FlowiseFault;
import io.glisk.local.avatar.OpenAiFault;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

/**
 * What providers refuse or fail: moderation, throttling with retry-after, no quota, server errors, unusable
 * answers — each picture fails or is retried on its own, the task ends as its pictures say.
 */
@ExtendWith(OutputCaptureExtension.class)
class AvatarFailuresTest extends AvatarTest {

    final ObjectMapper json = new ObjectMapper();
    @Autowired
    Environment environment;

    @Test
    void aRefusedBaseImageFailsThatPersonaAndTheTaskCompletesWithTheReasonInItsLog() throws Exception {
        openai.enqueue(OpenAiFault.of(OpenAiFault.Kind.MODERATION_BLOCKED));
        long key = task(10, 4, "Teachers in Ohio");

        awaitTask(key, "completed", Duration.ofSeconds(60));

        List<Map<String, Object>> failed = personas(key).stream().filter(p -> p.get("status").equals("failed")).toList();
        assertThat(failed).hasSize(1);
        assertThat((String) failed.get(0).get("error")).contains("moderation_blocked");
        assertThat(failed.get(0).get("base_image_url")).isNull();
        assertThat(failed.get(0).get("base_attempts")).as("a refusal is not retried").isEqualTo(1);
        assertThat(images(key)).hasSize(36);
        JsonNode log = json.readTree(admin("GET", "/api/avatar/tasks/" + key, null).body()).get("errorLog");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("persona").asText()).isEqualTo(failed.get(0).get("firstname") + " " + failed.get(0).get("lastname"));
        assertThat(log.get(0).get("error").asText()).contains("moderation_blocked");
    }

    @Test
    void aRefusedGridFailsItsFourPhotosAndTheOtherGridsGoOn() throws Exception {
        openai.enqueueEdits(OpenAiFault.of(OpenAiFault.Kind.MODERATION_BLOCKED));
        long key = task(10, 8, "Baristas in Portland");

        awaitTask(key, "completed", Duration.ofSeconds(60));

        List<Map<String, Object>> failed = images(key).stream().filter(i -> i.get("status").equals("failed")).toList();
        assertThat(failed).hasSize(4).allSatisfy(i -> assertThat((String) i.get("error")).contains("moderation_blocked"));
        assertThat(failed.stream().map(i -> i.get("persona_key")).distinct()).hasSize(1);
        assertThat(images(key).stream().filter(i -> i.get("status").equals("stored"))).hasSize(76);
        assertThat(personas(key)).allSatisfy(p -> assertThat(p.get("status")).isEqualTo("completed"));
        JsonNode task = json.readTree(admin("GET", "/api/avatar/tasks/" + key, null).body());
        assertThat(task.get("errorLog")).hasSize(4);
        assertThat(task.at("/counts/imagesFailed").asInt()).isEqualTo(4);
        assertThat(task.get("progress").asDouble()).isEqualTo((10 + 76) / 90.0);
    }

    @Test
    void throttlingIsWaitedOutAsLongAsTheApiAsksThenTheSamePictureIsMade() {
        openai.enqueue(OpenAiFault.rateLimited(1500));
        long started = System.nanoTime();
        long key = task(10, 4, "Designers in Denver");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM avatar_personas WHERE task_key = ? AND base_attempts = 2", Long.class, key) == 1);
        long retriedAfterMillis = (System.nanoTime() - started) / 1_000_000;
        awaitTask(key, "completed", Duration.ofSeconds(60));

        // the initial backoff is 50 ms: only the retry-after of the 429 explains the wait
        assertThat(retriedAfterMillis).isGreaterThanOrEqualTo(1500);
        assertThat(personas(key)).allSatisfy(p -> assertThat(p.get("status")).isEqualTo("completed"));
        assertThat(images(key)).hasSize(40);
    }

    @Test
    void serverErrorsAndTimeoutsAreRetriedAndCountedPerPicture() {
        openai.enqueueEdits(OpenAiFault.of(OpenAiFault.Kind.SERVER_ERROR), OpenAiFault.slow(4000));
        long key = task(10, 4, "Electricians in Tampa");

        awaitTask(key, "completed", Duration.ofSeconds(60));

        assertThat(images(key)).hasSize(40).allSatisfy(i -> assertThat(i.get("status")).isEqualTo("stored"));
        // two failed calls, two more attempts, counted on the grids they hit (one grid, if its retry drew the
        // second fault before any other grid called)
        assertThat(jdbc.queryForObject("SELECT sum(attempts - 1) FROM avatar_grids g JOIN avatar_personas p "
                + "USING (persona_key) WHERE p.task_key = ?", Integer.class, key)).isEqualTo(2);
        // the answer the client gave up on still comes, late: 10 grids and that one
        await().atMost(Duration.ofSeconds(5)).until(() -> openai.editsMade() == 11);
    }

    @Test
    void aTaskWithNoPhotoAtAllFailsNamingEveryPersona() throws Exception {
        // the simulator's moderation refuses prompts with "gore": the bios carry the language, so every base image
        jdbc.update("INSERT INTO avatar_tasks (persona_count, images_per_persona, persona_description, bio_language) "
                + "VALUES (10, 4, 'Hunters', 'Gore')");
        long key = jdbc.queryForObject("SELECT max(task_key) FROM avatar_tasks", Long.class);

        Map<String, Object> task = awaitTask(key, "failed", Duration.ofSeconds(60));

        assertThat(task.get("error")).isEqualTo("No photo could be made: see the error log");
        assertThat(personas(key)).hasSize(10).allSatisfy(p -> assertThat(p.get("status")).isEqualTo("failed"));
        assertThat(openai.editsMade()).isZero();
        JsonNode log = json.readTree(admin("GET", "/api/avatar/tasks/" + key, null).body()).get("errorLog");
        assertThat(log).hasSize(10);
    }

    @Test
    void anOutageOfTheImageApiFailsNoPictureTheyWaitForItAndAreMadeOnce() {
        // the image API fails for everyone: 30 server errors in a row, more than every base image's attempts
        OpenAiFault[] errors = new OpenAiFault[30];
        java.util.Arrays.fill(errors, OpenAiFault.of(OpenAiFault.Kind.SERVER_ERROR));
        openai.enqueue(errors);
        long key = task(10, 4, "Accountants in Raleigh");

        // its circuit opens, the pictures wait for it (no attempt counted while refused), probes find it back
        awaitTask(key, "completed", Duration.ofSeconds(90));

        assertThat(personas(key)).allSatisfy(p -> assertThat(p.get("status")).isEqualTo("completed"));
        assertThat(openai.generationsMade()).isEqualTo(10); // one base image per persona, none made twice
        // each of the 30 server errors cost the persona that drew it one attempt; the waits for the circuit none
        assertThat(jdbc.queryForObject("SELECT sum(base_attempts) FROM avatar_personas WHERE task_key = ?", Integer.class,
                key)).isEqualTo(10 + 30);
    }

    @Test
    void noQuotaStopsTheStageHandsTheTaskBackAndTheStageResumesAfterItsCooldown(CapturedOutput output) throws Exception {
        openai.enqueue(OpenAiFault.of(OpenAiFault.Kind.INSUFFICIENT_QUOTA));
        long key = task(10, 4, "Nurses in Atlanta");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM system_state WHERE key = 'avatar.halt'", Long.class) == 1);
        JsonNode health = json.readTree(admin("GET", "/actuator/health", null).body()).at("/components/avatar");
        assertThat(health.get("status").asText()).isEqualTo("WARNING");
        assertThat(health.at("/details/provider").asText()).isEqualTo("OpenAI");
        assertThat(health.at("/details/reason").asText()).contains("insufficient_quota");
        Instant stopEnds = jdbc.queryForObject("SELECT (value ->> 'until')::timestamptz FROM system_state "
                + "WHERE key = 'avatar.halt'", Timestamp.class).toInstant();

        Map<String, Object> task = awaitTask(key, "completed", Duration.ofSeconds(60));

        // handed back once, not failed, to be claimed again when the stop ends — read from its event, not by looking
        // at the row in between: on a busy machine the stage can resume before a look comes
        List<String> released = output.getAll().lines().filter(line -> line.contains("avatar.task.released")
                && line.contains("task_id=\"" + task.get("task_id") + "\"")).toList();
        assertThat(released).hasSize(1);
        Matcher resumesAt = Pattern.compile("resumes_at=\"([^\"]+)\"").matcher(released.get(0));
        assertThat(resumesAt.find()).as("released with the time it resumes: %s", released).isTrue();
        assertThat(Instant.parse(resumesAt.group(1))).isAfterOrEqualTo(stopEnds.truncatedTo(ChronoUnit.MILLIS));
        assertThat(task.get("claims")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT t.status_changed_at >= (s.value ->> 'until')::timestamptz "
                + "FROM avatar_tasks t, system_state s WHERE t.task_key = ? AND s.key = 'avatar.halt'", Boolean.class, key))
                .as("completed only after the cooldown").isTrue();
        assertThat((String) task.get("notes").toString()).contains("OpenAI stopped the avatar stage").contains("insufficient_quota");
        assertThat(personas(key)).allSatisfy(p -> assertThat(p.get("status")).isEqualTo("completed"));
        assertThat(json.readTree(admin("GET", "/actuator/health", null).body()).at("/components/avatar/status").asText())
                .isEqualTo("UP");
    }

    @Test
    void aRefusedKeyStopsTheStageAndNeverShowsInTheLogTheTaskOrHealth(CapturedOutput output) throws Exception {
        String key = environment.getProperty("glisk.avatar.openai.api-key");
        openai.setAcceptedKey("another-key-entirely");
        long task = task(10, 4, "Sailors in Maine");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.queryForObject(
                "SELECT lease_id IS NULL AND notes <> '[]' FROM avatar_tasks WHERE task_key = ?", Boolean.class, task));

        // while the key is refused the stage stops again each time its cooldown ends: health names the provider
        // during each stop (a look between two stops, on a busy machine, would see the stage up)
        String health = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
                () -> admin("GET", "/actuator/health", null).body(), body -> body.contains("\"provider\":\"OpenAI\""));
        String notes = jdbc.queryForObject("SELECT notes::text FROM avatar_tasks WHERE task_key = ?", String.class, task);
        assertThat(notes).contains("OpenAI stopped the avatar stage").contains("HTTP 401").contains("invalid_api_key");
        // OpenAI echoes the key half masked ("loc*********-key"): neither it nor its ends are repeated anywhere
        for (String text : List.of(output.getAll(), health, notes)) {
            assertThat(text).doesNotContain(key).doesNotContain(key.substring(0, 3) + "*")
                    .doesNotContain("*" + key.substring(key.length() - 4));
        }
        assertThat(taskStatus(task)).isEqualTo("generating-images");
        assertThat(openai.generationsMade()).isZero();
    }

    @Test
    void unusableFlowiseAnswersAreAskedAgainInTheNextRoundAndServerErrorsRetried() {
        // round 1: the flow talks instead of answering (no persona); round 2: a 500, retried, then the personas
        flowise.enqueue(FlowiseFault.of(FlowiseFault.Kind.NO_JSON), FlowiseFault.of(FlowiseFault.Kind.SERVER_ERROR));
        long key = task(10, 4, "Cyclists in Boise");

        Map<String, Object> task = awaitTask(key, "completed", Duration.ofSeconds(60));

        assertThat(task.get("data_rounds")).isEqualTo(2);
        assertThat(personas(key)).hasSize(10);
    }

    @Test
    void fewerPersonasThanAskedGoOnWithTheShortfallInTheLog() throws Exception {
        // 20 personas in two calls of 10 a round: the first five calls give nothing, the sixth (round 3) ten personas
        FlowiseFault[] talk = new FlowiseFault[5];
        java.util.Arrays.fill(talk, FlowiseFault.of(FlowiseFault.Kind.NO_JSON));
        flowise.enqueue(talk);
        long key = task(20, 4, "Pilots in Phoenix");

        Map<String, Object> task = awaitTask(key, "completed", Duration.ofSeconds(60));

        assertThat(personas(key)).hasSize(10);
        assertThat(task.get("data_rounds")).isEqualTo(3);
        JsonNode log = json.readTree(admin("GET", "/api/avatar/tasks/" + key, null).body()).get("errorLog");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("error").asText())
                .isEqualTo("Only 10 of 20 personas: the persona flow gave no more usable ones in 3 rounds");
    }

    @Test
    void aTaskWithoutAnyPersonaFails() {
        flowise.enqueue(FlowiseFault.of(FlowiseFault.Kind.NO_JSON), FlowiseFault.of(FlowiseFault.Kind.NO_JSON),
                FlowiseFault.of(FlowiseFault.Kind.NO_JSON));
        long key = task(10, 4, "Nobody");

        Map<String, Object> task = awaitTask(key, "failed", Duration.ofSeconds(60));

        assertThat(task.get("error")).isEqualTo("The persona flow gave no usable persona in 3 rounds");
        assertThat(openai.generationsMade()).isZero();
    }
}
