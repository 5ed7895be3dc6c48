package io.glisk.avatar;

import static org.awaitility.Awaitility.await;

import io.glisk.local.avatar.FlowiseSimulator;
import io.glisk.local.avatar.OpenAiSimulator;
import io.glisk.support.PipelineTest;
import io.glisk.support.S3MockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * The avatar stage as it ships (routes, SQL, claims) in local mode against a real PostgreSQL, the Flowise and
 * OpenAI simulators over real HTTP, and S3Mock — an S3 implementation of its own, run as a separate process — as
 * the bucket. Timings are short so that retries, leases and stops play out in seconds. Every avatar test class
 * shares this one configuration, so they share one application context.
 */
@ContextConfiguration(initializers = AvatarTest.S3MockBucket.class)
@TestPropertySource(properties = {
        "glisk.stages.detection.enabled=false",
        "glisk.stages.generation.enabled=false",
        "glisk.stages.ipfs.enabled=false",
        "glisk.stages.reveal.enabled=false",
        "glisk.avatar.worker-interval-seconds=1",
        "glisk.avatar.halt-cooldown-seconds=" + AvatarTest.HALT_COOLDOWN_SECONDS,
        "glisk.avatar.persona-concurrency=3",
        "glisk.avatar.openai.timeout-seconds=3",
        "glisk.simulators.openai.latency-millis=20",
        "glisk.simulators.openai.image-size=192",
        "glisk.simulators.flowise.latency-millis=10",
        "glisk.simulators.flowise.incomplete-every=0",
})
public abstract class AvatarTest extends PipelineTest {

    /** Long enough for a test to look at the stopped stage on a busy 2-core machine before it resumes. */
    protected static final int HALT_COOLDOWN_SECONDS = 5;

    /** The bucket is S3Mock's, an S3 the service did not write; the service creates the bucket itself. */
    static class S3MockBucket implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("s3mock", Map.of(
                    "glisk.avatar.s3.endpoint", S3MockServer.shared().endpoint(),
                    "glisk.avatar.s3.bucket-name", "avatar-test-" + Long.toHexString(System.nanoTime()))));
        }
    }

    @Autowired
    protected OpenAiSimulator openai;
    @Autowired
    protected FlowiseSimulator flowise;
    @Autowired
    protected AvatarStorage storage;

    @BeforeEach
    void avatarFromNothing() {
        noAvatarTasks();
        jdbc.update("DELETE FROM system_state WHERE key = 'avatar.halt'");
        openai.reset();
        flowise.reset();
    }

    /** A task inserted as the API stores one; answers its key. */
    protected long task(int personas, int imagesPerPersona, String description) {
        return jdbc.queryForObject("INSERT INTO avatar_tasks (persona_count, images_per_persona, persona_description, "
                + "bio_language) VALUES (?, ?, ?, 'English') RETURNING task_key", Long.class, personas, imagesPerPersona,
                description);
    }

    protected String taskStatus(long taskKey) {
        return jdbc.queryForObject("SELECT status FROM avatar_tasks WHERE task_key = ?", String.class, taskKey);
    }

    /** Waits for the task's status; if it never comes, fails with what the task, its personas and the stage show. */
    protected Map<String, Object> awaitTask(long taskKey, String status, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> status.equals(taskStatus(taskKey)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("task " + taskKey + " not " + status + " within " + atMost + "\n" + whereItIs(taskKey), e);
        }
        return jdbc.queryForMap("SELECT * FROM avatar_tasks WHERE task_key = ?", taskKey);
    }

    /** The task's row, its personas, the circuits, the S3 server and the stage's threads: what a stuck task shows. */
    private String whereItIs(long taskKey) {
        StringBuilder where = new StringBuilder("task: ")
                .append(jdbc.queryForMap("SELECT * FROM avatar_tasks WHERE task_key = ?", taskKey)).append('\n');
        jdbc.queryForList("SELECT persona_key, status, base_attempts, base_image_url IS NOT NULL AS based, left(error, 160) "
                + "AS error FROM avatar_personas WHERE task_key = ? ORDER BY persona_key", taskKey)
                .forEach(p -> where.append("persona: ").append(p).append('\n'));
        where.append("circuits: ").append(circuits.states()).append('\n').append(S3MockServer.status()).append('\n');
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().contains("avatar") || thread.getName().contains("Redelivery")) {
                where.append("thread ").append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (int i = 0; i < Math.min(stack.length, 25); i++) {
                    where.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return where.toString();
    }

    protected List<Map<String, Object>> personas(long taskKey) {
        return jdbc.queryForList("SELECT * FROM avatar_personas WHERE task_key = ? ORDER BY persona_key", taskKey);
    }

    protected List<Map<String, Object>> images(long taskKey) {
        return jdbc.queryForList("SELECT i.* FROM avatar_images i JOIN avatar_personas p USING (persona_key) "
                + "WHERE p.task_key = ? ORDER BY i.persona_key, i.n", taskKey);
    }
}
