package io.glisk.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.GliskApplication;
import io.glisk.support.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * A worker killed with SIGKILL in the middle of a task — another instance of the service, a process of its own on
 * the same database, providers and bucket. While it lives, its lease keeps the task from this instance; once it is
 * dead, this instance takes the task over after the lease and resumes from what is stored: no persona's base image
 * is made twice, no stored photo again, and the bucket holds exactly the pictures the database names.
 */
class AvatarRestartTest extends AvatarTest {

    @Autowired
    CamelContext camel;
    @Autowired
    Environment environment;
    Process worker;

    @AfterEach
    void stopWorker() throws Exception {
        if (worker != null && worker.isAlive()) {
            worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        camel.getRouteController().startRoute("avatar");
    }

    @Test
    void aTaskHeldByALiveWorkerIsNotTakenAndAKilledWorkersTaskIsResumedWithoutMakingAnythingTwice() throws Exception {
        camel.getRouteController().stopRoute("avatar");
        // slow enough that the task is still being worked on when this instance tries to claim it, seconds later
        openai.setLatencyMillis(1_000);
        worker = startWorker();
        long key = task(10, 8, "Firefighters in Denver");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> "worker-1".equals(
                jdbc.queryForObject("SELECT lease_owner FROM avatar_tasks WHERE task_key = ?", String.class, key)));

        // a claim with room for more tasks passes the held task over
        assertThat(jdbc.queryForList("SELECT task_key FROM avatar_claim_tasks('someone-else', 5, 3)", Long.class)).isEmpty();
        // this instance claims again, but the live worker's lease (renewed, never expiring) keeps the task from it
        camel.getRouteController().startRoute("avatar");
        Thread.sleep(4000);
        assertThat(jdbc.queryForMap("SELECT lease_owner, claims FROM avatar_tasks WHERE task_key = ?", key))
                .containsEntry("lease_owner", "worker-1").containsEntry("claims", 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> images(key).size() >= 12);

        worker.destroyForcibly(); // SIGKILL: no hand-back, no last write
        assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<Map<String, Object>> storedAtKill = jdbc.queryForList("SELECT persona_key, base_image_url FROM avatar_personas "
                + "WHERE task_key = ? AND base_image_url IS NOT NULL", key);
        int photosAtKill = images(key).size();
        Map<String, Object> task = awaitTask(key, "completed", Duration.ofSeconds(120));

        assertThat(task.get("claims")).isEqualTo(2);
        assertThat(personas(key)).hasSize(10).allSatisfy(p -> assertThat(p.get("status")).isEqualTo("completed"));
        assertThat(images(key)).hasSize(80).allSatisfy(i -> assertThat(i.get("status")).isEqualTo("stored"));
        assertThat(photosAtKill).isGreaterThanOrEqualTo(12);
        // a stored base image is never made again: one generation per base prompt of those personas
        Map<String, Integer> generations = openai.generationsByPrompt();
        BasePrompts prompts = new BasePrompts(TestAvatarSettings.bind());
        PersonaRows rows = new PersonaRows();
        for (Map<String, Object> stored : storedAtKill) {
            Map<String, Object> persona = jdbc.queryForMap("SELECT * FROM avatar_personas WHERE persona_key = ?",
                    stored.get("persona_key"));
            assertThat(generations.get(prompts.basePrompt(rows.persona(persona)))).as("base of " + stored).isEqualTo(1);
            assertThat(persona.get("base_image_url")).isEqualTo(stored.get("base_image_url"));
        }
        // at most the calls in flight at the kill were lost: one base image and one grid per persona at work
        assertThat(openai.generationsMade()).isBetween(10, 10 + 3);
        assertThat(openai.editsMade()).isBetween(20, 20 + 6);
        // the bucket holds exactly what the database names: a picture and its thumbnail each, nothing more
        assertThat(objects(key)).hasSize(2 * (10 + 80));
    }

    /** The keys under the task's prefix in the bucket. */
    private List<String> objects(long key) {
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> persona : personas(key)) {
            long personaKey = ((Number) persona.get("persona_key")).longValue();
            keys.add(AvatarKeys.base(key, personaKey));
            keys.add(AvatarKeys.baseThumbnail(key, personaKey));
            for (int n = 0; n < 8; n++) {
                keys.add(AvatarKeys.image(key, personaKey, n));
                keys.add(AvatarKeys.imageThumbnail(key, personaKey, n));
            }
        }
        assertThat(keys).allSatisfy(k -> assertThat(storage.exists(k)).as(k).isTrue());
        // nothing else under the prefix: deleting it removes exactly these
        int deleted = storage.deletePrefix(AvatarKeys.task(key));
        assertThat(deleted).isEqualTo(keys.size());
        return keys;
    }

    /**
     * The service as a process of its own (live mode, the avatar stage alone), on this test's database, simulators
     * and bucket, under the name worker-1.
     */
    private Process startWorker() throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElse("java");
        String simulators = "http://localhost:" + port + "/sim";
        Map<String, String> settings = new HashMap<>(Map.ofEntries(
                Map.entry("GLISK_MODE", "live"),
                Map.entry("SPRING_DATASOURCE_URL", environment.getProperty("spring.datasource.url")),
                Map.entry("SPRING_DATASOURCE_USERNAME", "postgres"),
                Map.entry("GLISK_ADMIN_USER", ADMIN_USER), Map.entry("GLISK_ADMIN_PASSWORD", ADMIN_PASSWORD),
                Map.entry("GLISK_STAGES_DETECTION_ENABLED", "false"), Map.entry("GLISK_STAGES_GENERATION_ENABLED", "false"),
                Map.entry("GLISK_STAGES_IPFS_ENABLED", "false"), Map.entry("GLISK_STAGES_REVEAL_ENABLED", "false"),
                Map.entry("GLISK_INSTANCE_ID", "worker-1"), Map.entry("GLISK_LEASE_SECONDS", "3"),
                Map.entry("DB_POOL_SIZE", "8"),
                Map.entry("POLL_INTERVAL_SECONDS", "0.2"), Map.entry("WORKER_INTERVAL", "1"),
                Map.entry("GLISK_RETRY_INITIAL_DELAY_MILLIS", "50"), Map.entry("AVATAR_PERSONA_CONCURRENCY", "3"),
                Map.entry("OPENAI_API_KEY", environment.getProperty("glisk.avatar.openai.api-key")),
                Map.entry("OPENAI_BASE_URL", simulators + "/openai"),
                Map.entry("FLOWISE_URL", simulators + "/flowise"),
                Map.entry("FLOWISE_API_KEY", environment.getProperty("glisk.avatar.flowise.api-key")),
                Map.entry("FLOWISE_PERSONA_FLOW_ID", environment.getProperty("glisk.avatar.flowise.persona-flow-id")),
                Map.entry("FLOWISE_IMAGE_PROMPT_FLOW_ID", environment.getProperty("glisk.avatar.flowise.image-prompt-flow-id")),
                Map.entry("S3_ENDPOINT", environment.getProperty("glisk.avatar.s3.endpoint")),
                Map.entry("S3_BUCKET_NAME", environment.getProperty("glisk.avatar.s3.bucket-name")),
                Map.entry("S3_ACCESS_KEY", environment.getProperty("glisk.avatar.s3.access-key")),
                Map.entry("S3_SECRET_KEY", environment.getProperty("glisk.avatar.s3.secret-key")),
                Map.entry("PORT", Integer.toString(FreePorts.next()))));
        Path log = Path.of("target", "avatar-worker-1.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                GliskApplication.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(settings);
        return builder.start();
    }
}
