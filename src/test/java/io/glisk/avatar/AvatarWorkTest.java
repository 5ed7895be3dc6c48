package io.glisk.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.local.avatar.OpenAiFault;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How a task is worked on: one at a time (AVATAR_MAX_CONCURRENT_TASKS), cancelled mid-way, retried for what failed. */
class AvatarWorkTest extends AvatarTest {

    @Test
    void aCancelledTaskStopsBeforeItsNextBilledCallAndKeepsWhatIsStored() throws Exception {
        openai.setLatencyMillis(300);
        long key = task(10, 8, "Gardeners in Austin");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> images(key).size() >= 4);

        assertThat(admin("POST", "/api/avatar/tasks/" + key + "/cancel", new byte[0]).statusCode()).isEqualTo(200);
        awaitTask(key, "cancelled", Duration.ofSeconds(10));
        int generations = openai.generationsMade();
        int edits = openai.editsMade();
        int prompts = flowise.imagePromptCalls();
        Thread.sleep(1500);

        assertThat(openai.generationsMade()).as("nothing billed after the cancel").isEqualTo(generations);
        assertThat(openai.editsMade()).isEqualTo(edits);
        assertThat(flowise.imagePromptCalls()).isEqualTo(prompts);
        assertThat(personas(key).stream().filter(p -> p.get("status").equals("pending"))).isNotEmpty();
        assertThat(images(key)).allSatisfy(i -> assertThat(i.get("status")).isEqualTo("stored"));
    }

    @Test
    void retryMakesOnlyWhatFailedAndNeverWhatIsStored() throws Exception {
        openai.enqueue(OpenAiFault.of(OpenAiFault.Kind.MODERATION_BLOCKED));
        openai.enqueueEdits(OpenAiFault.of(OpenAiFault.Kind.MODERATION_BLOCKED));
        long key = task(10, 8, "Photographers in Columbus");
        awaitTask(key, "completed", Duration.ofSeconds(60));
        assertThat(personas(key).stream().filter(p -> p.get("status").equals("failed"))).hasSize(1);
        assertThat(images(key).stream().filter(i -> i.get("status").equals("failed"))).hasSize(4);
        List<String> baseUrls = jdbc.queryForList("SELECT base_image_url FROM avatar_personas WHERE task_key = ? "
                + "AND base_image_url IS NOT NULL ORDER BY persona_key", String.class, key);
        int generations = openai.generationsMade();
        int edits = openai.editsMade();
        int prompts = flowise.imagePromptCalls();

        var answer = admin("POST", "/api/avatar/tasks/" + key + "/retry", new byte[0]);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"personasRetried\":2").contains("\"imagesRetried\":4");
        awaitTask(key, "completed", Duration.ofSeconds(60));
        assertThat(personas(key)).allSatisfy(p -> assertThat(p.get("status")).isEqualTo("completed"));
        assertThat(images(key)).hasSize(80).allSatisfy(i -> assertThat(i.get("status")).isEqualTo("stored"));
        // one new base image (the refused persona's), its two grids and the refused grid; nothing else again
        assertThat(openai.generationsMade() - generations).isEqualTo(1);
        assertThat(openai.editsMade() - edits).isEqualTo(3);
        // a new prompt for the refused grid only: the refused persona's were asked before its base image, and kept
        assertThat(flowise.imagePromptCalls() - prompts).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT base_image_url FROM avatar_personas WHERE task_key = ? ORDER BY persona_key",
                String.class, key)).containsAll(baseUrls).hasSize(10);
        assertThat(admin("POST", "/api/avatar/tasks/" + key + "/retry", new byte[0]).statusCode())
                .as("nothing failed any more").isEqualTo(409);
    }

    @Test
    void tasksWaitTheirTurnOneInWorkAtATime() {
        AtomicInteger mostInWork = new AtomicInteger();
        long first = task(10, 4, "Surfers in San Diego");
        long second = task(10, 4, "Skaters in Portland");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
            mostInWork.accumulateAndGet(jdbc.queryForObject("SELECT count(*) FROM avatar_tasks WHERE lease_id IS NOT NULL",
                    Integer.class), Math::max);
            return "completed".equals(taskStatus(second));
        });

        assertThat(mostInWork.get()).isEqualTo(1);
        Map<String, Object> one = jdbc.queryForMap("SELECT finished_at FROM avatar_tasks WHERE task_key = ?", first);
        Map<String, Object> two = jdbc.queryForMap("SELECT started_at FROM avatar_tasks WHERE task_key = ?", second);
        assertThat(((Timestamp) two.get("started_at")).toInstant())
                .isAfterOrEqualTo(((Timestamp) one.get("finished_at")).toInstant());
    }

    @Test
    void theTaskShowsItsProgressWhileItRuns() throws Exception {
        // about 3 s of work left after the first photos: the look while it runs comes before the end on a busy machine
        openai.setLatencyMillis(400);
        long key = task(10, 4, "Climbers in Salt Lake City");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> images(key).size() >= 4);

        String running = admin("GET", "/api/avatar/tasks/" + key, null).body();
        awaitTask(key, "completed", Duration.ofSeconds(60));
        String done = admin("GET", "/api/avatar/tasks/" + key + "?size=3", null).body();

        assertThat(running).contains("\"status\":\"generating-images\"");
        double progress = new com.fasterxml.jackson.databind.ObjectMapper().readTree(running).get("progress").asDouble();
        assertThat(progress).isGreaterThan(10 / 50.0).isLessThan(1.0);
        var task = new com.fasterxml.jackson.databind.ObjectMapper().readTree(done.getBytes(StandardCharsets.UTF_8));
        assertThat(task.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(task.at("/personas/items")).hasSize(3);
        assertThat(task.at("/personas/total").asInt()).isEqualTo(10);
        assertThat(task.at("/personas/items/0/imageUrls")).hasSize(4);
        assertThat(task.at("/usage/totalTokens").asLong()).isPositive();
        assertThat(task.at("/personas/items/0/images/0/thumbUrl").asText()).endsWith("/thumb_0.png");
    }
}
