package io.glisk.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import io.glisk.settings.Secret;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The avatar settings of application.yml bound with environments an operator would give. */
class AvatarSettingsTest {

    @Test
    void nothingConfiguredGivesTheDocumentedDefaults() {
        AvatarSettings settings = TestAvatarSettings.bind();

        assertThat(settings.openai().baseUrl()).isEqualTo("https://api.openai.com");
        assertThat(settings.openai().imageModel()).isEqualTo("gpt-image-1.5");
        assertThat(settings.openai().maxConcurrentRequests()).isEqualTo(4);
        assertThat(settings.flowise().maxConcurrentRequests()).isEqualTo(5);
        assertThat(settings.s3().bucketName()).isEqualTo("avatar-images");
        assertThat(settings.s3().region()).isEqualTo("us-east-1");
        assertThat(settings.personaConcurrency()).isEqualTo(2);
        assertThat(settings.maxConcurrentTasks()).isEqualTo(1);
        assertThat(settings.workerIntervalSeconds()).isEqualTo(30);
        assertThat(settings.trimNearWhite()).isFalse();
        assertThat(settings.basePromptAppend()).isEmpty();
        assertThat(settings.openai().apiKey().isBlank()).isTrue();
        assertThat(settings.s3().secretKey().isBlank()).isTrue();
    }

    @Test
    void theRecordsOwnDefaultsAreTheYamlDefaults() {
        // without application.yml (a test, another launcher) nothing changes
        AvatarSettings[] bare = new AvatarSettings[1];
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
                        ValidationAutoConfiguration.class))
                .withUserConfiguration(TestAvatarSettings.Binding.class)
                .run(context -> bare[0] = context.getBean(AvatarSettings.class));

        assertThat(bare[0]).isEqualTo(TestAvatarSettings.bind());
    }

    @Test
    void everyEnvironmentNameReachesItsSetting() {
        AvatarSettings s = TestAvatarSettings.bind(
                "OPENAI_API_KEY", "sk-test-123", "OPENAI_BASE_URL", "http://openai.internal:8080/proxy",
                "OPENAI_IMAGE_MODEL", "gpt-image-1", "OPENAI_MAX_CONCURRENT_REQUESTS", "7",
                "FLOWISE_URL", "https://flowise.example", "FLOWISE_API_KEY", "fw-key",
                "FLOWISE_PERSONA_FLOW_ID", "5171a0ec-8235-4db6-bc08-b23e4e22e641",
                "FLOWISE_IMAGE_PROMPT_FLOW_ID", "prompt-flow", "MULTITHREAD_FLOWISE", "3",
                "S3_ENDPOINT", "https://minio.example", "S3_ACCESS_KEY", "AKIA1", "S3_SECRET_KEY", "s3cr3t",
                "S3_BUCKET_NAME", "faces", "S3_REGION", "eu-west-1", "WORKER_INTERVAL", "10",
                "AVATAR_PERSONA_CONCURRENCY", "3", "AVATAR_MAX_CONCURRENT_TASKS", "2",
                "AVATAR_BASE_PROMPT_APPEND", "no text, no watermark", "AVATAR_TRIM_NEAR_WHITE", "true",
                "AVATAR_BIO_INSTRUCTIONS_FACEBOOK", "warm", "AVATAR_BIO_INSTRUCTIONS_INSTAGRAM", "emoji",
                "AVATAR_BIO_INSTRUCTIONS_X", "short", "AVATAR_BIO_INSTRUCTIONS_TIKTOK", "fun");

        assertThat(s.openai()).isEqualTo(new AvatarSettings.OpenAi(new Secret("sk-test-123"),
                "http://openai.internal:8080/proxy", "gpt-image-1", 7, 300));
        assertThat(s.flowise()).isEqualTo(new AvatarSettings.Flowise("https://flowise.example", new Secret("fw-key"),
                "5171a0ec-8235-4db6-bc08-b23e4e22e641", "prompt-flow", 3, 600));
        assertThat(s.s3()).isEqualTo(new AvatarSettings.Storage("https://minio.example", new Secret("AKIA1"),
                new Secret("s3cr3t"), "faces", "eu-west-1", "https://minio.example"));
        assertThat(s.workerIntervalSeconds()).isEqualTo(10);
        assertThat(s.personaConcurrency()).isEqualTo(3);
        assertThat(s.maxConcurrentTasks()).isEqualTo(2);
        assertThat(s.basePromptAppend()).isEqualTo("no text, no watermark");
        assertThat(s.trimNearWhite()).isTrue();
        assertThat(s.bioInstructions()).isEqualTo(new AvatarSettings.BioInstructions("warm", "emoji", "short", "fun"));
    }

    @Test
    void publicUrlBaseIsTheEndpointUnlessGiven() {
        assertThat(TestAvatarSettings.bind("S3_ENDPOINT", "http://localhost:9000").s3().publicUrlBase())
                .isEqualTo("http://localhost:9000");
        assertThat(TestAvatarSettings.bind("S3_ENDPOINT", "http://minio:9000", "S3_PUBLIC_URL_BASE",
                "https://cdn.example").s3().publicUrlBase()).isEqualTo("https://cdn.example");
    }

    @Test
    void invalidValuesStopStartUpNamingTheVariable() {
        assertRefused(Map.of("S3_BUCKET_NAME", "Bad_Bucket"), "S3_BUCKET_NAME must be a valid bucket name");
        assertRefused(Map.of("OPENAI_BASE_URL", "ftp://files.example"), "OPENAI_BASE_URL must be an http(s) URL");
        assertRefused(Map.of("FLOWISE_PERSONA_FLOW_ID", "../../admin"), "FLOWISE_PERSONA_FLOW_ID must be a flow id");
        assertRefused(Map.of("OPENAI_MAX_CONCURRENT_REQUESTS", "0"), "maxConcurrentRequests");
        assertRefused(Map.of("AVATAR_PERSONA_CONCURRENCY", "-1"), "personaConcurrency");
    }

    @Test
    void secretsNeverShowInTheSettingsText() {
        AvatarSettings s = TestAvatarSettings.bind("OPENAI_API_KEY", "sk-live-abcdef", "FLOWISE_API_KEY", "flowise-key-42",
                "S3_ACCESS_KEY", "AKIAEXAMPLE", "S3_SECRET_KEY", "wJalrXUtnFEMI");

        assertThat(s.toString()).doesNotContain("sk-live-abcdef", "flowise-key-42", "AKIAEXAMPLE", "wJalrXUtnFEMI");
        assertThat(s.openai().apiKey().value()).isEqualTo("sk-live-abcdef");
    }

    private static void assertRefused(Map<String, String> environment, String message) {
        TestAvatarSettings.runner(environment).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message);
        });
    }
}
