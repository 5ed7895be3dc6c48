package io.glisk.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A task from its claim to completed: personas, base images, grids cut into photos, all stored. */
class AvatarPipelineTest extends AvatarTest {

    @Test
    void aTaskGetsItsPersonasAndTheirPhotosInTheBucket() {
        long key = task(10, 8, "Nurses in Texas who love the outdoors");

        Map<String, Object> task = awaitTask(key, "completed", Duration.ofSeconds(60));

        List<Map<String, Object>> personas = personas(key);
        assertThat(personas).hasSize(10).allSatisfy(p -> {
            assertThat(p.get("status")).isEqualTo("completed");
            assertThat((String) p.get("base_image_url")).endsWith("/avatars/task_" + key + "/persona_" + p.get("persona_key") + "/base.png");
        });
        assertThat(images(key)).hasSize(80).allSatisfy(i -> assertThat(i.get("status")).isEqualTo("stored"));
        assertThat(openai.generationsMade()).isEqualTo(10);
        assertThat(openai.editsMade()).isEqualTo(20);
        assertThat((Long) task.get("total_tokens")).isPositive();
        assertThat(personas(key)).allSatisfy(p -> assertThat((Long) p.get("total_tokens")).isPositive());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                admin("GET", "/actuator/prometheus", null).body())
                .contains("glisk_avatar_tasks{status=\"completed\"} 1.0")
                .contains("glisk_avatar_personas_stored_total")
                .contains("glisk_avatar_usage_tokens_total{direction=\"output\"}")
                .contains("glisk_events_total{event=\"avatar.image.stored\"}")
                .containsPattern("glisk_provider_requests_seconds_count\\{.*provider=\"openai\"")
                .containsPattern("glisk_provider_requests_seconds_count\\{.*provider=\"flowise\""));
    }
}
